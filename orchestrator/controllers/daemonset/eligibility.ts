// Which nodes a DaemonSet runs on (daemon_controller.go nodeShouldRunDaemonPod): the pod's
// nodeSelector and required node affinity must match the node, and every NoSchedule /
// NoExecute taint must be tolerated, counting the tolerations the controller adds to every
// daemon pod (so daemons keep running on not-ready, unreachable, pressured or cordoned nodes).
import type { V1Node, V1NodeSelectorRequirement, V1NodeSelectorTerm, V1PodSpec, V1Taint, V1Toleration } from "@kubernetes/client-node";

/** The tolerations util.AddOrUpdateDaemonPodTolerations adds to every daemon pod. */
export function defaultDaemonTolerations(spec: V1PodSpec | undefined): V1Toleration[] {
  const list: V1Toleration[] = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
  ];
  if (spec?.hostNetwork) list.push({ key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  return list;
}

/** The pod's tolerations plus the defaults it lacks (same key and effect). */
export function withDaemonTolerations(spec: V1PodSpec | undefined): V1Toleration[] {
  const own = spec?.tolerations ?? [];
  const extra = defaultDaemonTolerations(spec).filter((d) => !own.some((t) => t.key === d.key && t.effect === d.effect));
  return [...own, ...extra];
}

export function tolerates(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === "Exists") return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? "") === (taint.value ?? "");
}

function requirementMatches(req: V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      const n = Number(value);
      const limit = Number(values[0]);
      if (value === undefined || Number.isNaN(n) || Number.isNaN(limit)) return false;
      return req.operator === "Gt" ? n > limit : n < limit;
    }
    default:
      return false;
  }
}

/** A term matches when all its expressions (labels) and fields (metadata.name) match. */
export function termMatches(term: V1NodeSelectorTerm, node: V1Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  const fieldValue = (key: string): string | undefined => (key === "metadata.name" ? node.metadata?.name : undefined);
  return exprs.every((r) => requirementMatches(r, labels[r.key])) && fields.every((r) => requirementMatches(r, fieldValue(r.key)));
}

export interface Eligibility {
  /** The daemon pod should run here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (only NoExecute taints evict it). */
  shouldContinueRunning: boolean;
}

export function nodeEligibility(node: V1Node, spec: V1PodSpec | undefined): Eligibility {
  const labels = node.metadata?.labels ?? {};
  const selectorOk = Object.entries(spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const affinityOk = !terms || terms.length === 0 || terms.some((t) => termMatches(t, node));
  if (!selectorOk || !affinityOk) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(spec);
  const untolerated = (node.spec?.taints ?? []).filter((taint) => !tolerations.some((t) => tolerates(t, taint)));
  return {
    shouldRun: !untolerated.some((t) => t.effect === "NoSchedule" || t.effect === "NoExecute"),
    shouldContinueRunning: !untolerated.some((t) => t.effect === "NoExecute"),
  };
}
