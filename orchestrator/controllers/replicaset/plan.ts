// The ReplicaSet decision as a pure function of the ReplicaSet, the pods in its namespace and
// the time: which pods to adopt, release, create or delete, and the status to write.
import type { V1Pod, V1ReplicaSet, V1ReplicaSetStatus } from "@kubernetes/client-node";
import { claimObjects } from "../shared/claim.js";
import { compareForDeletion, isPodActive, isPodAvailable, isPodReady, isTerminating, msUntilAvailable } from "../shared/pods.js";

/** Kubernetes' burstReplicas: creates / deletes per sync, so one sync never floods the API. */
export const BURST_REPLICAS = 500;

export interface ReplicaSetPlan {
  adopt: V1Pod[];
  release: V1Pod[];
  create: number;
  delete: V1Pod[];
  status: V1ReplicaSetStatus;
  /** Reconcile again then (a ready pod passing minReadySeconds). */
  requeueAfter?: number;
}

export interface PlanReplicaSetOptions {
  /** The pods it may claim: those it controls and the orphans in its namespace (others are skipped). */
  pods: V1Pod[];
  now: number;
  /** False while earlier creates / deletes are not yet seen: then only status is computed. */
  expectationsSatisfied: boolean;
}

export function planReplicaSet(rs: V1ReplicaSet, options: PlanReplicaSetOptions): ReplicaSetPlan {
  const deleting = isTerminating({ metadata: rs.metadata });
  const claim = claimObjects(options.pods, { ownerUid: rs.metadata?.uid ?? "", selector: rs.spec?.selector, ownerDeleting: deleting });
  const mine = [...claim.owned, ...claim.adopt];
  const active = mine.filter(isPodActive);
  const plan: ReplicaSetPlan = {
    adopt: claim.adopt,
    release: claim.release,
    create: 0,
    delete: [],
    status: replicaSetStatus(rs, active, options.now),
    requeueAfter: nextAvailableCheck(active, rs.spec?.minReadySeconds ?? 0, options.now),
  };
  if (options.expectationsSatisfied && !deleting) {
    const diff = active.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) plan.create = Math.min(-diff, BURST_REPLICAS);
    else if (diff > 0) plan.delete = [...active].sort(compareForDeletion).slice(0, Math.min(diff, BURST_REPLICAS));
  }
  return plan;
}

export function replicaSetStatus(rs: V1ReplicaSet, active: V1Pod[], now: number): V1ReplicaSetStatus {
  const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  // One pass: this runs over every pod of the set on each sync.
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of active) {
    const labels = p.metadata?.labels;
    if (templateLabels.every(([k, v]) => labels?.[k] === v)) fullyLabeled++;
    if (!isPodReady(p)) continue;
    ready++;
    if (isPodAvailable(p, minReady, now)) available++;
  }
  const status: V1ReplicaSetStatus = {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata?.generation,
  };
  if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
  return status;
}

function nextAvailableCheck(active: V1Pod[], minReadySeconds: number, now: number): number | undefined {
  if (minReadySeconds <= 0) return undefined;
  let next: number | undefined;
  for (const p of active) {
    const left = msUntilAvailable(p, minReadySeconds, now);
    if (left !== undefined && (next === undefined || left < next)) next = left;
  }
  return next;
}

export function replicaSetStatusEqual(a: V1ReplicaSetStatus | undefined, b: V1ReplicaSetStatus): boolean {
  const x = a ?? { replicas: 0 };
  return (
    (x.replicas ?? 0) === (b.replicas ?? 0) &&
    (x.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (x.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (x.availableReplicas ?? 0) === (b.availableReplicas ?? 0) &&
    x.observedGeneration === b.observedGeneration
  );
}
