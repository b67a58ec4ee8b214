// NodeUnschedulable and node readiness. A cordoned node (spec.unschedulable or the
// node.kubernetes.io/unschedulable taint) takes only pods tolerating that taint. A node whose
// Ready condition is False / Unknown counts as carrying the not-ready taint even before the
// node lifecycle controller adds it, so a freshly failed node gets no new pods. A node with no
// Ready condition yet (created by hand) is taken as ready.
import type { V1Node, V1Toleration } from "@kubernetes/client-node";
import { failsUnresolvable, type FilterPlugin, type NodeInfo } from "../types.js";
import { taintText, tolerated } from "./taintToleration.js";

export const UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";
export const NOT_READY_TAINT = "node.kubernetes.io/not-ready";
export const UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

interface NodeFacts {
  marked: boolean;
  ready?: string;
}

// Node objects are replaced, never mutated, on every informer event, so facts derived from
// one object stay true for it; the filter runs for hundreds of nodes per pod.
const facts = new WeakMap<V1Node, NodeFacts>();

function factsOf(node: V1Node): NodeFacts {
  let f = facts.get(node);
  if (!f) {
    const marked = node.spec?.unschedulable === true || (node.spec?.taints ?? []).some((t) => t.key === UNSCHEDULABLE_TAINT);
    f = { marked, ready: node.status?.conditions?.find((c) => c.type === "Ready")?.status };
    facts.set(node, f);
  }
  return f;
}

export function isCordoned(node: V1Node, tolerations: readonly V1Toleration[]): boolean {
  return factsOf(node).marked && !tolerated(tolerations, { key: UNSCHEDULABLE_TAINT, effect: "NoSchedule" });
}

/** The readiness taint a NotReady node implies, if the pod does not tolerate it. */
export function notReadyTaint(node: V1Node, tolerations: readonly V1Toleration[]): string | undefined {
  const ready = factsOf(node).ready;
  if (ready === undefined || ready === "True") return undefined;
  const key = ready === "False" ? NOT_READY_TAINT : UNREACHABLE_TAINT;
  return tolerated(tolerations, { key, effect: "NoSchedule" }) ? undefined : key;
}

export const nodeUnschedulableFilter: FilterPlugin = {
  name: "NodeUnschedulable",
  prepare(pod) {
    const tolerations = pod.pod.spec?.tolerations ?? [];
    return (node: NodeInfo) => {
      if (isCordoned(node.node, tolerations)) return failsUnresolvable("node(s) were unschedulable");
      const key = notReadyTaint(node.node, tolerations);
      return key ? failsUnresolvable(`node(s) had untolerated taint ${taintText({ key })}`) : undefined;
    };
  },
};
