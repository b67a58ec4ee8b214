// Kubernetes' FitError text: "0/3 nodes are available: 1 node(s) had untolerated taint {a: b},
// 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for
// scheduling." Reasons are counted over nodes and sorted as strings, as kube-scheduler does.
import type { Diagnosis } from "./framework.js";

export const NO_NODES = "no nodes available to schedule pods";

/** "N reason" for every distinct reason, sorted. */
export function reasonHistogram(reasons: Iterable<string>): string[] {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}

export function fitErrorMessage(totalNodes: number, diagnosis: Diagnosis, postFilter?: string): string {
  if (totalNodes === 0) return NO_NODES;
  const body = diagnosis.preFilter
    ? diagnosis.preFilter.reasons.join(", ")
    : reasonHistogram([...diagnosis.nodes.values()].flatMap((s) => s.reasons)).join(", ");
  const message = `0/${totalNodes} nodes are available: ${body}.`;
  return postFilter ? `${message} ${postFilter}` : message;
}

/** The preemption part: "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling." */
export function preemptionMessage(totalNodes: number, reasons: Iterable<string>): string {
  return `preemption: 0/${totalNodes} nodes are available: ${reasonHistogram(reasons).join(", ")}.`;
}
