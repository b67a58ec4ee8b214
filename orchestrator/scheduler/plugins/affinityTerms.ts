// Matching pods against pod (anti-)affinity terms, shared by the InterPodAffinity filter and
// score. A term applies to the owner's namespace unless it lists namespaces or has a
// namespaceSelector (an empty selector means every namespace).
import type { V1PodAffinityTerm } from "@kubernetes/client-node";
import { matchesLabelSelector } from "../selectors.js";
import type { NodeInfo, PodEntry, Snapshot } from "../types.js";

export function termMatchesPod(term: V1PodAffinityTerm, ownerNamespace: string, candidate: PodEntry, snapshot: Snapshot): boolean {
  const listed = term.namespaces ?? [];
  const inNamespace =
    (listed.length === 0 && !term.namespaceSelector && candidate.namespace === ownerNamespace) ||
    listed.includes(candidate.namespace) ||
    (term.namespaceSelector !== undefined && matchesLabelSelector(term.namespaceSelector, snapshot.namespaceLabels(candidate.namespace)));
  return inNamespace && matchesLabelSelector(term.labelSelector, candidate.labels);
}

/** Counts per topology value, one map per topology key. */
export class TopologyCounts {
  private readonly byKey = new Map<string, Map<string, number>>();

  add(key: string, node: NodeInfo, amount: number): void {
    const value = node.labels[key];
    if (value === undefined) return;
    let values = this.byKey.get(key);
    if (!values) this.byKey.set(key, (values = new Map()));
    values.set(value, (values.get(value) ?? 0) + amount);
  }

  get(key: string, node: NodeInfo): number {
    const value = node.labels[key];
    return value === undefined ? 0 : (this.byKey.get(key)?.get(value) ?? 0);
  }

  /** The sum over every key of the node's domain count. */
  total(node: NodeInfo): number {
    let sum = 0;
    for (const [key, values] of this.byKey) {
      const value = node.labels[key];
      if (value !== undefined) sum += values.get(value) ?? 0;
    }
    return sum;
  }

  get empty(): boolean {
    return this.byKey.size === 0;
  }
}
