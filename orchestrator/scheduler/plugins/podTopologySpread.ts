// PodTopologySpread: spread matching pods over topology domains (zone, hostname, …).
// DoNotSchedule constraints filter: placing the pod must keep count(domain) + 1 − min(domains)
// within maxSkew. ScheduleAnyway constraints score: fewer matching pods in the node's domain
// is better, weighted by log(domains + 2) per constraint as kube-scheduler does. Domains are
// the nodes that carry the key and pass the pod's nodeSelector / required node affinity.
import type { V1TopologySpreadConstraint } from "@kubernetes/client-node";
import { matchesLabelSelector } from "../selectors.js";
import { fails, failsUnresolvable, MAX_NODE_SCORE, type FilterPlugin, type NodeInfo, type PodEntry, type ScorePlugin, type Snapshot } from "../types.js";
import { matchesNodeSelectorAndAffinity } from "./nodeAffinity.js";

export const SPREAD_MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";
export const SPREAD_SKEW = "node(s) didn't match pod topology spread constraints";

interface ConstraintCounts {
  constraint: V1TopologySpreadConstraint;
  counts: Map<string, number>;
  selfMatch: number;
}

function constraintsOf(pod: PodEntry, mode: "DoNotSchedule" | "ScheduleAnyway"): V1TopologySpreadConstraint[] {
  return (pod.pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === mode);
}

function countDomains(pod: PodEntry, snapshot: Snapshot, constraints: V1TopologySpreadConstraint[]): ConstraintCounts[] {
  const out = constraints.map((constraint) => ({
    constraint,
    counts: new Map<string, number>(),
    selfMatch: matchesLabelSelector(constraint.labelSelector, pod.labels) ? 1 : 0,
  }));
  if (out.length === 0) return out;
  for (const node of snapshot.nodes) {
    if (constraints.some((c) => node.labels[c.topologyKey] === undefined)) continue;
    if (!matchesNodeSelectorAndAffinity(pod.pod, node)) continue;
    for (const c of out) {
      const domain = node.labels[c.constraint.topologyKey];
      let matching = 0;
      for (const other of node.pods.values()) {
        if (other.namespace === pod.namespace && other.key !== pod.key && !other.pod.metadata?.deletionTimestamp && matchesLabelSelector(c.constraint.labelSelector, other.labels)) matching++;
      }
      c.counts.set(domain, (c.counts.get(domain) ?? 0) + matching);
    }
  }
  return out;
}

function minCount(c: ConstraintCounts): number {
  // Fewer domains than minDomains: the global minimum is taken as 0.
  if (c.constraint.minDomains !== undefined && c.counts.size < c.constraint.minDomains) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const n of c.counts.values()) min = Math.min(min, n);
  return Number.isFinite(min) ? min : 0;
}

export const podTopologySpreadFilter: FilterPlugin = {
  name: "PodTopologySpread",
  prepare(pod, snapshot) {
    const state = countDomains(pod, snapshot, constraintsOf(pod, "DoNotSchedule"));
    const mins = state.map(minCount);
    return (node: NodeInfo) => {
      for (let i = 0; i < state.length; i++) {
        const c = state[i];
        const domain = node.labels[c.constraint.topologyKey];
        if (domain === undefined) return failsUnresolvable(SPREAD_MISSING_LABEL);
        const skew = (c.counts.get(domain) ?? 0) + c.selfMatch - mins[i];
        if (skew > c.constraint.maxSkew) return fails(SPREAD_SKEW);
      }
      return undefined;
    };
  },
};

export const podTopologySpreadScore: ScorePlugin = {
  name: "PodTopologySpread",
  weight: 2,
  prepare(pod, snapshot) {
    const state = countDomains(pod, snapshot, constraintsOf(pod, "ScheduleAnyway"));
    const weights = state.map((c) => Math.log(c.counts.size + 2));
    // A node missing a key cannot be compared; it gets 0 after normalising (marked NaN here).
    const score = (node: NodeInfo): number => {
      let sum = 0;
      for (let i = 0; i < state.length; i++) {
        const c = state[i];
        const domain = node.labels[c.constraint.topologyKey];
        if (domain === undefined) return Number.NaN;
        sum += (c.counts.get(domain) ?? 0) * weights[i] + (c.constraint.maxSkew - 1);
      }
      return Math.round(sum);
    };
    return { score, normalize: state.length === 0 ? (s) => s.map(() => 0) : normalizeSpread };
  },
};

/** Fewest matching pods → 100; nodes without the topology labels → 0. */
export function normalizeSpread(scores: readonly number[]): number[] {
  const known = scores.filter((s) => !Number.isNaN(s));
  if (known.length === 0) return scores.map(() => 0);
  const min = Math.min(...known);
  const max = Math.max(...known);
  return scores.map((s) => {
    if (Number.isNaN(s)) return 0;
    if (max === 0) return MAX_NODE_SCORE;
    return Math.floor((MAX_NODE_SCORE * (max + min - s)) / max);
  });
}
