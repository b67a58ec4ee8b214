// The scheduler's view of the cluster: one NodeInfo per node with the pods assigned to it and
// their summed requests, kept incrementally by the cache so a scheduling cycle never re-lists.
// Plugins are pure: they read a Snapshot and a PodEntry and answer, nothing else.
import type { V1Node, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import type { Resources } from "../kubelet/resources.js";

export type { Resources };

export interface HostPort {
  protocol: string;
  hostIP: string;
  port: number;
}

/** A pod with everything the plugins need computed once. */
export interface PodEntry {
  pod: V1Pod;
  /** namespace/name */
  key: string;
  namespace: string;
  labels: Record<string, string>;
  priority: number;
  requests: Resources;
  /** Requests with the default 100m / 200Mi for containers that ask for nothing (for scores only). */
  nonZero: Resources;
  hostPorts: HostPort[];
  /** Has pod affinity or anti-affinity terms (so other pods' placement may depend on it). */
  hasAffinity: boolean;
}

export interface NodeInfo {
  name: string;
  node: V1Node;
  labels: Record<string, string>;
  allocatable: Resources;
  /** Sum of the assigned pods' requests; `pods` counts them. */
  requested: Resources;
  nonZeroRequested: Resources;
  pods: Map<string, PodEntry>;
  /** "protocol/hostIP/port" of every host port in use. */
  usedPorts: Set<string>;
  /** How many of `pods` have hasAffinity; lets affinity plugins skip nodes quickly. */
  affinityPods: number;
}

export interface Snapshot {
  /** Sorted by name so every walk is deterministic. */
  readonly nodes: readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** Labels of a namespace, for namespaceSelector in pod affinity terms. */
  namespaceLabels(namespace: string): Record<string, string>;
  /** Requests of pods nominated to this node that outrank `priority` (room held for them). */
  nominatedRequests(nodeName: string, priority: number, exceptKey: string): Resources;
  claim(namespace: string, name: string): V1PersistentVolumeClaim | undefined;
  volume(name: string): V1PersistentVolume | undefined;
}

/**
 * Why a node does not fit. `unresolvable` marks reasons preemption cannot fix (affinity,
 * taints, …), as UnschedulableAndUnresolvable does in kube-scheduler.
 */
export interface FilterStatus {
  reasons: string[];
  unresolvable?: boolean;
  /** The plugin that said so (set by the framework). */
  plugin?: string;
}

export type NodeFilter = (node: NodeInfo) => FilterStatus | undefined;

/** A filter plugin; prepare() is PreFilter: it may reject the pod outright for every node. */
export interface FilterPlugin {
  name: string;
  prepare(pod: PodEntry, snapshot: Snapshot): NodeFilter | FilterStatus;
}

export interface NodeScorer {
  /** Raw score of one feasible node. */
  score(node: NodeInfo): number;
  /** Maps raw scores to 0…100; default: raw scores as they are. */
  normalize?(scores: number[]): number[];
}

export interface ScorePlugin {
  name: string;
  weight: number;
  prepare(pod: PodEntry, snapshot: Snapshot, feasible: readonly NodeInfo[]): NodeScorer;
}

export const MAX_NODE_SCORE = 100;

/** A node that does not fit now but might after preemption. */
export function fails(reason: string): FilterStatus {
  return { reasons: [reason] };
}

/** A node that preemption cannot make fit. */
export function failsUnresolvable(reason: string): FilterStatus {
  return { reasons: [reason], unresolvable: true };
}
