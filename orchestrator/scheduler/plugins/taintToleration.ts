// TaintToleration: a NoSchedule / NoExecute taint the pod does not tolerate rules the node
// out; PreferNoSchedule taints only lower the score (fewer untolerated ones score higher).
import type { V1Taint, V1Toleration } from "@kubernetes/client-node";
import { failsUnresolvable, type FilterPlugin, type NodeInfo, type ScorePlugin } from "../types.js";
import { normalizeScores } from "./normalize.js";

/** v1.Toleration.ToleratesTaint */
export function toleratesTaint(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "Equal") {
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

export function tolerated(tolerations: readonly V1Toleration[], taint: V1Taint): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

export function taintText(taint: Pick<V1Taint, "key" | "value">): string {
  return `{${taint.key}: ${taint.value ?? ""}}`;
}

/** The first NoSchedule / NoExecute taint the pod does not tolerate, if any. */
export function untoleratedTaint(taints: readonly V1Taint[], tolerations: readonly V1Toleration[]): V1Taint | undefined {
  return taints.find((taint) => (taint.effect === "NoSchedule" || taint.effect === "NoExecute") && !tolerated(tolerations, taint));
}

export const taintTolerationFilter: FilterPlugin = {
  name: "TaintToleration",
  prepare(pod) {
    const tolerations = pod.pod.spec?.tolerations ?? [];
    return (node: NodeInfo) => {
      const taint = untoleratedTaint(node.node.spec?.taints ?? [], tolerations);
      return taint ? failsUnresolvable(`node(s) had untolerated taint ${taintText(taint)}`) : undefined;
    };
  },
};

export const taintTolerationScore: ScorePlugin = {
  name: "TaintToleration",
  weight: 3,
  prepare(pod) {
    // Only tolerations that could apply to PreferNoSchedule taints matter here.
    const tolerations = (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
    return {
      score: (node) => (node.node.spec?.taints ?? []).filter((t) => t.effect === "PreferNoSchedule" && !tolerated(tolerations, t)).length,
      normalize: (scores) => normalizeScores(scores, { reverse: true }),
    };
  },
};
