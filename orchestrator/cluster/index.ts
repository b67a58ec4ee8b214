// `berth cluster up / down`: run the built-in cluster in the foreground or in the background.
export { startCluster, validatePort, validateNodeCount, HOST, type StartClusterOptions, type RunningCluster } from "./up.js";
export { startDetached, ClusterStartError, type DetachOptions } from "./detach.js";
export { stopCluster, type StopClusterOptions, type StopResult } from "./down.js";
export { clusterPaths, defaultDataDir, type ClusterPaths } from "./paths.js";
export { kubeconfigYaml, writeKubeconfig, CONTEXT_NAME } from "./kubeconfig.js";
export { parseEndpoints, type StoreKind } from "./store.js";
export type { ClusterState } from "./process.js";
export { COMPONENTS, startComponents, runningClusterClient, componentKubeConfig, type ComponentEntry, type RunningComponents } from "./components.js";
