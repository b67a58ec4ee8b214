// NodeResourcesFit: the pod's requests must fit into allocatable minus what assigned pods
// (and pods nominated here with at least its priority) already request. cpu, memory and the
// pod count are checked; ephemeral storage and extended resources are not scheduled on.
import { fails, type FilterPlugin, type FilterStatus, type NodeInfo, type PodEntry, type Resources } from "../types.js";

/** The reasons, in kube-scheduler's order; empty when it fits. */
export function insufficientResources(request: Resources, node: Pick<NodeInfo, "allocatable" | "requested">, extra?: Resources): string[] {
  const used = (dim: "milliCPU" | "memory" | "pods"): number => node.requested[dim] + (extra?.[dim] ?? 0);
  const reasons: string[] = [];
  if (used("pods") + 1 > node.allocatable.pods) reasons.push("Too many pods");
  if (request.milliCPU > 0 && request.milliCPU > node.allocatable.milliCPU - used("milliCPU")) reasons.push("Insufficient cpu");
  if (request.memory > 0 && request.memory > node.allocatable.memory - used("memory")) reasons.push("Insufficient memory");
  return reasons;
}

export function fitsResources(pod: PodEntry, node: NodeInfo, extra?: Resources): FilterStatus | undefined {
  const reasons = insufficientResources(pod.requests, node, extra);
  if (reasons.length === 0) return undefined;
  return reasons.length === 1 ? fails(reasons[0]) : { reasons };
}

export const nodeResourcesFitFilter: FilterPlugin = {
  name: "NodeResourcesFit",
  prepare(pod, snapshot) {
    return (node: NodeInfo) => fitsResources(pod, node, snapshot.nominatedRequests(node.name, pod.priority, pod.key));
  },
};
