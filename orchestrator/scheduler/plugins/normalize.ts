// helper.DefaultNormalizeScore of kube-scheduler: scale raw scores so the highest becomes 100;
// `reverse` turns "more is worse" counts (untolerated taints) into "more is better" scores.
import { MAX_NODE_SCORE } from "../types.js";

export interface NormalizeOptions {
  reverse?: boolean;
}

export function normalizeScores(scores: readonly number[], options: NormalizeOptions = {}): number[] {
  const max = scores.reduce((m, s) => Math.max(m, s), 0);
  if (max === 0) return scores.map(() => (options.reverse ? MAX_NODE_SCORE : 0));
  return scores.map((s) => {
    const scaled = Math.floor((MAX_NODE_SCORE * s) / max);
    return options.reverse ? MAX_NODE_SCORE - scaled : scaled;
  });
}
