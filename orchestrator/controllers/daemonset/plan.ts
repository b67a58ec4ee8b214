// One DaemonSet sync as a pure function (daemon_controller.go manage + update.go
// rollingUpdate): one pod per eligible node, none elsewhere, and a rolling update that replaces
// old-revision pods while at most maxUnavailable eligible nodes lack an available pod.
import type { V1DaemonSet, V1DaemonSetStatus, V1Node, V1NodeSelectorTerm, V1Pod } from "@kubernetes/client-node";
import { REVISION_HASH_LABEL } from "../controllerrevision/history.js";
import { resolveIntOrPercent } from "../shared/intstr.js";
import { newControllerRef } from "../shared/ownerRefs.js";
import { isPodActive, isPodAvailable, isPodReady, isTerminating, podFromTemplate, timeMs } from "../shared/pods.js";
import { nodeEligibility, withDaemonTolerations } from "./eligibility.js";

export interface DaemonSetPlan {
  createPods: V1Pod[];
  deletePods: V1Pod[];
  status: V1DaemonSetStatus;
}

export interface PlanDaemonSetOptions {
  nodes: V1Node[];
  /** Pods the DaemonSet controls. */
  pods: V1Pod[];
  /** Name suffix of the current ControllerRevision (the pods' controller-revision-hash). */
  revisionHash: string;
  now: number;
}

/** The node a daemon pod runs on or is pinned to (before the scheduler binds it). */
export function targetNode(pod: V1Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    const f = (t.matchFields ?? []).find((r) => r.key === "metadata.name" && r.operator === "In" && r.values?.length === 1);
    if (f?.values) return f.values[0];
  }
  return undefined;
}

export function buildDaemonPod(ds: V1DaemonSet, nodeName: string, revisionHash: string): V1Pod {
  const pod = podFromTemplate({
    template: ds.spec?.template,
    namespace: ds.metadata?.namespace ?? "default",
    ownerRef: newControllerRef({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: ds.metadata }),
    generateName: `${ds.metadata?.name ?? ""}-`,
    extraLabels: { [REVISION_HASH_LABEL]: revisionHash, "pod-template-generation": String(ds.metadata?.generation ?? 1) },
  });
  const spec = pod.spec ?? { containers: [] };
  // Pin the pod with required node affinity on metadata.name (replacing other required terms,
  // which eligibility already checked) so the default scheduler binds it to this node.
  const pin: V1NodeSelectorTerm = { matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] };
  const affinity = spec.affinity ?? {};
  affinity.nodeAffinity = { ...(affinity.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [pin] } };
  spec.affinity = affinity;
  spec.tolerations = withDaemonTolerations(spec);
  pod.spec = spec;
  return pod;
}

const oldestFirst = (a: V1Pod, b: V1Pod): number => (timeMs(a.metadata?.creationTimestamp) ?? 0) - (timeMs(b.metadata?.creationTimestamp) ?? 0);

export function planDaemonSet(ds: V1DaemonSet, options: PlanDaemonSetOptions): DaemonSetPlan {
  const byNode = new Map<string, V1Pod[]>();
  for (const p of options.pods) {
    const node = targetNode(p);
    if (node !== undefined) byNode.set(node, [...(byNode.get(node) ?? []), p]);
  }
  const plan: DaemonSetPlan = { createPods: [], deletePods: [], status: daemonSetStatus(ds, options, byNode) };
  if (isTerminating({ metadata: ds.metadata })) return plan;
  const nodeNames = new Set<string>();
  const minReady = ds.spec?.minReadySeconds ?? 0;
  for (const node of options.nodes) {
    const name = node.metadata?.name ?? "";
    nodeNames.add(name);
    const e = nodeEligibility(node, ds.spec?.template?.spec);
    const pods = (byNode.get(name) ?? []).filter((p) => !isTerminating(p));
    const failed = pods.filter((p) => p.status?.phase === "Failed");
    plan.deletePods.push(...failed);
    const live = pods.filter((p) => p.status?.phase !== "Failed").sort(oldestFirst);
    if (e.shouldRun && live.length === 0) plan.createPods.push(buildDaemonPod(ds, name, options.revisionHash));
    else if (!e.shouldContinueRunning) plan.deletePods.push(...live);
    else if (live.length > 1) plan.deletePods.push(...live.slice(1));
  }
  // Pods pinned to nodes that no longer exist.
  for (const [node, pods] of byNode) if (!nodeNames.has(node)) plan.deletePods.push(...pods.filter((p) => !isTerminating(p)));
  if (plan.createPods.length === 0 && plan.deletePods.length === 0 && ds.spec?.updateStrategy?.type !== "OnDelete") {
    plan.deletePods.push(...rollingDeletes(ds, options, byNode, minReady));
  }
  return plan;
}

/** Old-revision pods to delete now: unavailable ones freely, available ones within budget. */
function rollingDeletes(ds: V1DaemonSet, options: PlanDaemonSetOptions, byNode: Map<string, V1Pod[]>, minReady: number): V1Pod[] {
  const eligible = options.nodes.filter((n) => nodeEligibility(n, ds.spec?.template?.spec).shouldRun);
  const maxUnavailable = Math.max(1, resolveIntOrPercent(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, eligible.length, { roundUp: true, fallback: 1 }));
  let unavailable = 0;
  const oldAvailable: V1Pod[] = [];
  const out: V1Pod[] = [];
  for (const node of eligible) {
    const pods = (byNode.get(node.metadata?.name ?? "") ?? []).filter(isPodActive);
    const pod = pods[0];
    const available = pod !== undefined && isPodAvailable(pod, minReady, options.now);
    if (!available) unavailable++;
    if (!pod || pod.metadata?.labels?.[REVISION_HASH_LABEL] === options.revisionHash) continue;
    if (!available) out.push(pod);
    else oldAvailable.push(pod);
  }
  const budget = maxUnavailable - unavailable;
  return [...out, ...oldAvailable.slice(0, Math.max(0, budget))];
}

function daemonSetStatus(ds: V1DaemonSet, options: PlanDaemonSetOptions, byNode: Map<string, V1Pod[]>): V1DaemonSetStatus {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of options.nodes) {
    const e = nodeEligibility(node, ds.spec?.template?.spec);
    const pods = (byNode.get(node.metadata?.name ?? "") ?? []).filter(isPodActive);
    if (!e.shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    const pod = pods[0];
    if (!pod) continue;
    current++;
    if (isPodReady(pod)) ready++;
    if (isPodAvailable(pod, minReady, options.now)) available++;
    if (pod.metadata?.labels?.[REVISION_HASH_LABEL] === options.revisionHash) updated++;
  }
  return {
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    numberAvailable: available,
    numberUnavailable: desired - available,
    updatedNumberScheduled: updated,
    observedGeneration: ds.metadata?.generation,
    ...(ds.status?.collisionCount !== undefined ? { collisionCount: ds.status.collisionCount } : {}),
  };
}
