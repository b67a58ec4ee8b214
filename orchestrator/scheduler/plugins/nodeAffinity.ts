// NodeAffinity: spec.nodeSelector and requiredDuringScheduling terms must both match (a
// filter); preferredDuringScheduling terms add their weights (a score, scaled to 0…100).
import type { V1Pod } from "@kubernetes/client-node";
import { matchesNodeSelectorTerm, matchesNodeSelectorTerms } from "../selectors.js";
import { failsUnresolvable, type FilterPlugin, type NodeInfo, type ScorePlugin } from "../types.js";
import { normalizeScores } from "./normalize.js";

export function matchesNodeSelectorAndAffinity(pod: V1Pod, node: Pick<NodeInfo, "labels" | "name">): boolean {
  for (const [key, value] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (node.labels[key] !== value) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  // A required selector with no terms matches no node, as in Kubernetes.
  if (required) return matchesNodeSelectorTerms(required.nodeSelectorTerms ?? [], node.labels, node.name);
  return true;
}

export const nodeAffinityFilter: FilterPlugin = {
  name: "NodeAffinity",
  prepare(pod) {
    return (node: NodeInfo) =>
      matchesNodeSelectorAndAffinity(pod.pod, node) ? undefined : failsUnresolvable("node(s) didn't match Pod's node affinity/selector");
  },
};

export const nodeAffinityScore: ScorePlugin = {
  name: "NodeAffinity",
  weight: 2,
  prepare(pod) {
    const preferred = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    return {
      score: (node) =>
        preferred.reduce((sum, term) => (term.weight && matchesNodeSelectorTerm(term.preference, node.labels, node.name) ? sum + term.weight : sum), 0),
      normalize: (scores) => normalizeScores(scores),
    };
  },
};
