// InterPodAffinity, the filter half: required pod affinity (some matching pod in the node's
// topology domain), required anti-affinity (none there), and the symmetric rule that an
// existing pod's required anti-affinity keeps matching pods out of its domain.
import type { V1PodAffinityTerm } from "@kubernetes/client-node";
import { fails, failsUnresolvable, type FilterPlugin, type NodeInfo, type PodEntry, type Snapshot } from "../types.js";
import { termMatchesPod, TopologyCounts } from "./affinityTerms.js";

export const EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const AFFINITY = "node(s) didn't match pod affinity rules";

interface AffinityState {
  existingAnti: TopologyCounts;
  affinity: { term: V1PodAffinityTerm; counts: TopologyCounts }[];
  anti: { term: V1PodAffinityTerm; counts: TopologyCounts }[];
  /** No pod anywhere matches the affinity terms, but the pod matches them itself. */
  firstOfGroup: boolean;
}

function computeState(pod: PodEntry, snapshot: Snapshot): AffinityState {
  const spec = pod.pod.spec?.affinity;
  const affinity = (spec?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term) => ({ term, counts: new TopologyCounts() }));
  const anti = (spec?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term) => ({ term, counts: new TopologyCounts() }));
  const existingAnti = new TopologyCounts();
  const ownTerms = affinity.length + anti.length > 0;
  for (const node of snapshot.nodes) {
    if (!ownTerms && node.affinityPods === 0) continue;
    for (const other of node.pods.values()) {
      if (other.key === pod.key) continue;
      if (other.hasAffinity) {
        for (const term of other.pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
          if (termMatchesPod(term, other.namespace, pod, snapshot)) existingAnti.add(term.topologyKey, node, 1);
        }
      }
      for (const a of affinity) if (termMatchesPod(a.term, pod.namespace, other, snapshot)) a.counts.add(a.term.topologyKey, node, 1);
      for (const a of anti) if (termMatchesPod(a.term, pod.namespace, other, snapshot)) a.counts.add(a.term.topologyKey, node, 1);
    }
  }
  const firstOfGroup = affinity.length > 0 && affinity.every((a) => a.counts.empty) && affinity.every((a) => termMatchesPod(a.term, pod.namespace, pod, snapshot));
  return { existingAnti, affinity, anti, firstOfGroup };
}

function check(state: AffinityState, node: NodeInfo) {
  if (state.existingAnti.total(node) > 0) return fails(EXISTING_ANTI_AFFINITY);
  for (const a of state.anti) if (a.counts.get(a.term.topologyKey, node) > 0) return fails(ANTI_AFFINITY);
  for (const a of state.affinity) {
    if (node.labels[a.term.topologyKey] === undefined) return failsUnresolvable(AFFINITY);
    if (!state.firstOfGroup && a.counts.get(a.term.topologyKey, node) === 0) return failsUnresolvable(AFFINITY);
  }
  return undefined;
}

export const interPodAffinityFilter: FilterPlugin = {
  name: "InterPodAffinity",
  prepare(pod, snapshot) {
    const state = computeState(pod, snapshot);
    return (node: NodeInfo) => check(state, node);
  },
};
