// The in-process components `berth cluster up` runs next to the API server: simulated nodes,
// the scheduler, the controllers. Each gets its own KubeConfig pointing at the loopback URL,
// with its own client certificate (never admin's) when the cluster serves HTTPS, and reaches
// the cluster only through the API, so the same start function runs against a remote API
// server too.
// To add a component, append one entry to COMPONENTS; they start in this order and stop in
// reverse.
import { KubeConfig } from "@kubernetes/client-node";
import { realClock, type Clock } from "../../core/clock.js";
import { UsageError } from "../../core/errors.js";
import type { KubeClient } from "../../kube/client/index.js";
import type { Component, ComponentLogger, StartComponent } from "../component.js";
import { CONTROLLER_MANAGER_IDENTITY, KUBELET_IDENTITY, SCHEDULER_IDENTITY } from "../auth/identities.js";
import type { Subject } from "../auth/pki/certs.js";
import { clientFor, startKubelet } from "../kubelet/index.js";
import { startBatchAndNetworkControllers } from "../controllers/batchAndNetwork.js";
import { startServiceAccountControllers } from "../controllers/serviceAccounts.js";
import { startSchedulerWithStorage, startStorageControllers } from "../storage/index.js";
import { startWorkloadControllers } from "../controllers/workloads.js";
import { kubeconfigYaml, type ClusterCredentials } from "./kubeconfig.js";
import { clusterPaths } from "./paths.js";
import { readState, runningPid } from "./process.js";

export interface ComponentEntry {
  name: string;
  start: StartComponent;
  /** Who the component authenticates as (CN → user, O → groups). */
  identity: Subject;
}

export const COMPONENTS: ComponentEntry[] = [
  { name: "kubelet", start: startKubelet, identity: KUBELET_IDENTITY },
  // The scheduler with the storage side of VolumeBinding (WaitForFirstConsumer).
  { name: "scheduler", start: startSchedulerWithStorage, identity: SCHEDULER_IDENTITY },
  // Early: pods are refused until their namespace's `default` ServiceAccount exists.
  { name: "serviceaccount-controllers", start: startServiceAccountControllers, identity: CONTROLLER_MANAGER_IDENTITY },
  { name: "batch-and-network-controllers", start: startBatchAndNetworkControllers, identity: CONTROLLER_MANAGER_IDENTITY },
  { name: "workload-controllers", start: startWorkloadControllers, identity: CONTROLLER_MANAGER_IDENTITY },
  { name: "storage-controllers", start: startStorageControllers, identity: CONTROLLER_MANAGER_IDENTITY },
];

export interface StartComponentsOptions {
  /** The API server's URL, e.g. http://127.0.0.1:6443. */
  url: string;
  clock: Clock;
  logger?: ComponentLogger;
  /** Default: COMPONENTS. */
  components?: ComponentEntry[];
  /** Passed to every component (the hostpath provisioner keeps volumes under it). */
  dataDir?: string;
  /** Client credentials for an identity (HTTPS clusters); without it components get no credentials. */
  credentialsFor?(identity: Subject): Promise<ClusterCredentials>;
}

export interface RunningComponents {
  names: string[];
  /** Stops every component, last started first; never throws (failures are logged). */
  stop(): Promise<void>;
}

export function componentKubeConfig(url: string, credentials?: ClusterCredentials): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigYaml(url, credentials));
  return kubeConfig;
}

export async function startComponents(options: StartComponentsOptions): Promise<RunningComponents> {
  const started: Component[] = [];
  const stop = async (): Promise<void> => {
    for (const component of [...started].reverse()) {
      await component.stop().catch((err: unknown) => options.logger?.error(`${component.name}: stop failed: ${String(err)}`));
    }
  };
  try {
    for (const entry of options.components ?? COMPONENTS) {
      const credentials = await options.credentialsFor?.(entry.identity);
      started.push(await entry.start({ kubeConfig: componentKubeConfig(options.url, credentials), clock: options.clock, logger: options.logger, dataDir: options.dataDir }));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { names: started.map((c) => c.name), stop };
}

/** Logs to stderr (the cluster log file when detached), one line per message. */
export const stderrLogger: ComponentLogger = {
  info: (message) => process.stderr.write(`${message}\n`),
  warn: (message) => process.stderr.write(`warning: ${message}\n`),
  error: (message) => process.stderr.write(`error: ${message}\n`),
};

/** A client for the cluster running on `dataDir`, through the kubeconfig it wrote. */
export async function runningClusterClient(dataDir: string): Promise<KubeClient> {
  const paths = clusterPaths(dataDir);
  const state = (await runningPid(paths)) === undefined ? undefined : await readState(paths);
  if (!state) {
    throw new UsageError(`no berth cluster is running on ${paths.dataDir}`, { hint: `start one with: berth cluster up --detach --data-dir ${paths.dataDir}` });
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(state.kubeconfig);
  return clientFor({ kubeConfig, clock: realClock });
}
