// Simulated nodes for the built-in cluster: resource accounting shared with the scheduler, the
// pod runtime step machine, the kubelet component and node-set management.
export { startKubelet, clientFor, KUBELET_COMPONENT, LEASE_RENEW_MS, type KubeletOptions } from "./kubelet.js";
export { addNode, removeNode, listNodes, seedNodes, parseLabels, validateQuantity, NODE_NAME_PREFIX, type AddNodeOptions, type NodeRow } from "./nodes.js";
export { SIMULATED_NODE_ANNOTATION, NODE_LEASE_NAMESPACE, ZONES, NodeSpecError, validateNodeName, zoneOf } from "./node.js";
export * from "./resources.js";
export { parseQuantity, parseMilliQuantity, isQuantity, QuantityError, formatBytes, formatMilliCPU } from "./quantity.js";
export * from "./annotations.js";
