// InterPodAffinity, the score half: preferred affinity terms add their weight to every node in
// the domain of a matching pod, preferred anti-affinity subtracts it, and existing pods' own
// terms count symmetrically (their required affinity with weight 1, hardPodAffinityWeight).
// Scores are scaled min…max to 0…100.
import type { V1WeightedPodAffinityTerm } from "@kubernetes/client-node";
import { MAX_NODE_SCORE, type NodeInfo, type PodEntry, type ScorePlugin, type Snapshot } from "../types.js";
import { termMatchesPod, TopologyCounts } from "./affinityTerms.js";

const HARD_POD_AFFINITY_WEIGHT = 1;

function weighted(terms: V1WeightedPodAffinityTerm[] | undefined, sign: number) {
  return (terms ?? []).map((t) => ({ term: t.podAffinityTerm, weight: sign * t.weight }));
}

function collect(pod: PodEntry, snapshot: Snapshot): TopologyCounts {
  const affinity = pod.pod.spec?.affinity;
  const own = [...weighted(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, 1), ...weighted(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, -1)];
  const counts = new TopologyCounts();
  for (const node of snapshot.nodes) {
    if (own.length === 0 && node.affinityPods === 0) continue;
    for (const other of node.pods.values()) {
      for (const t of own) if (termMatchesPod(t.term, pod.namespace, other, snapshot)) counts.add(t.term.topologyKey, node, t.weight);
      if (!other.hasAffinity) continue;
      const theirs = other.pod.spec?.affinity;
      const symmetric = [
        ...weighted(theirs?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, 1),
        ...weighted(theirs?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, -1),
        ...(theirs?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term) => ({ term, weight: HARD_POD_AFFINITY_WEIGHT })),
      ];
      for (const t of symmetric) if (termMatchesPod(t.term, other.namespace, pod, snapshot)) counts.add(t.term.topologyKey, node, t.weight);
    }
  }
  return counts;
}

export function normalizeMinMax(scores: readonly number[]): number[] {
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  if (max - min <= 0) return scores.map(() => 0);
  return scores.map((s) => Math.floor((MAX_NODE_SCORE * (s - min)) / (max - min)));
}

export const interPodAffinityScore: ScorePlugin = {
  name: "InterPodAffinity",
  weight: 2,
  prepare(pod, snapshot) {
    const counts = collect(pod, snapshot);
    return { score: (node: NodeInfo) => counts.total(node), normalize: normalizeMinMax };
  },
};
