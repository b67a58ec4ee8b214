// Building PodEntry and NodeInfo values and moving pods in and out of a NodeInfo. Requests
// come from the kubelet's accounting (orchestrator/kubelet/resources.ts) so the scheduler and
// the simulated nodes agree on what fits.
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { addResources, emptyResources, nodeAllocatable, podRequests, subtractResources } from "../kubelet/resources.js";
import type { HostPort, NodeInfo, PodEntry } from "./types.js";

export function podKey(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? "default"}/${pod.metadata?.name ?? ""}`;
}

/**
 * The pod's priority: spec.priority, which the API server's Priority admission fills from
 * spec.priorityClassName; `classValue` resolves the class when admission did not.
 */
export function podPriority(pod: V1Pod, classValue?: (name: string) => number | undefined): number {
  if (typeof pod.spec?.priority === "number") return pod.spec.priority;
  const className = pod.spec?.priorityClassName;
  return (className && classValue?.(className)) || 0;
}

function hostPortsOf(pod: V1Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: p.protocol ?? "TCP", hostIP: p.hostIP || "0.0.0.0", port: p.hostPort });
    }
  }
  return out;
}

export interface PodEntryOptions {
  /** Resolves a PriorityClass name to its value (undefined: unknown class, priority 0). */
  classValue?: (name: string) => number | undefined;
}

export function podEntry(pod: V1Pod, options: PodEntryOptions = {}): PodEntry {
  return {
    pod,
    key: podKey(pod),
    namespace: pod.metadata?.namespace ?? "default",
    labels: pod.metadata?.labels ?? {},
    priority: podPriority(pod, options.classValue),
    requests: podRequests(pod),
    nonZero: podRequests(pod, { nonZero: true }),
    hostPorts: hostPortsOf(pod),
    hasAffinity: Boolean(pod.spec?.affinity?.podAffinity || pod.spec?.affinity?.podAntiAffinity),
  };
}

export function portKey(p: HostPort): string {
  return `${p.protocol}/${p.hostIP}/${p.port}`;
}

export function newNodeInfo(node: V1Node): NodeInfo {
  return {
    name: node.metadata?.name ?? "",
    node,
    labels: node.metadata?.labels ?? {},
    allocatable: nodeAllocatable(node),
    requested: emptyResources(),
    nonZeroRequested: emptyResources(),
    pods: new Map(),
    usedPorts: new Set(),
    affinityPods: 0,
  };
}

/** A NodeInfo for an updated Node object that keeps the pods already assigned. */
export function withNode(info: NodeInfo, node: V1Node): NodeInfo {
  return { ...info, node, labels: node.metadata?.labels ?? {}, allocatable: nodeAllocatable(node) };
}

export function addPod(info: NodeInfo, entry: PodEntry): void {
  if (info.pods.has(entry.key)) removePod(info, entry.key);
  info.pods.set(entry.key, entry);
  addResources(info.requested, entry.requests);
  addResources(info.nonZeroRequested, entry.nonZero);
  for (const p of entry.hostPorts) info.usedPorts.add(portKey(p));
  if (entry.hasAffinity) info.affinityPods++;
}

export function removePod(info: NodeInfo, key: string): void {
  const entry = info.pods.get(key);
  if (!entry) return;
  info.pods.delete(key);
  info.requested = subtractResources(info.requested, entry.requests);
  info.nonZeroRequested = subtractResources(info.nonZeroRequested, entry.nonZero);
  if (entry.hasAffinity) info.affinityPods--;
  // Ports are a set: rebuild from the pods still there rather than guessing who shared one.
  info.usedPorts = new Set();
  for (const other of info.pods.values()) for (const p of other.hostPorts) info.usedPorts.add(portKey(p));
}

/** A copy whose pods can be removed without touching the original (preemption's what-if). */
export function cloneNodeInfo(info: NodeInfo): NodeInfo {
  return {
    ...info,
    requested: addResources(emptyResources(), info.requested),
    nonZeroRequested: addResources(emptyResources(), info.nonZeroRequested),
    pods: new Map(info.pods),
    usedPorts: new Set(info.usedPorts),
  };
}
