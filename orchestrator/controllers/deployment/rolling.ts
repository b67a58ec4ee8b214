// RollingUpdate arithmetic (kube-controller-manager deployment/rolling.go and
// util/deployment_util.go), pure: how far the new ReplicaSet may grow and how far the old
// ones may shrink in one step, given maxSurge / maxUnavailable.
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { resolveIntOrPercent } from "../shared/intstr.js";
import { timeMs } from "../shared/pods.js";

export interface Fenceposts {
  maxSurge: number;
  maxUnavailable: number;
}

/** Surge rounds up, unavailability rounds down; both zero would deadlock, so unavailable becomes 1. */
export function resolveFenceposts(deployment: V1Deployment): Fenceposts {
  const desired = deployment.spec?.replicas ?? 1;
  const ru = deployment.spec?.strategy?.rollingUpdate;
  const maxSurge = resolveIntOrPercent(ru?.maxSurge, desired, { roundUp: true, fallback: Math.ceil(desired * 0.25) });
  let maxUnavailable = resolveIntOrPercent(ru?.maxUnavailable, desired, { roundUp: false, fallback: Math.floor(desired * 0.25) });
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function isRollingUpdate(deployment: V1Deployment): boolean {
  return (deployment.spec?.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
}

/** How many pods may be unavailable: 0 for Recreate or zero replicas. */
export function maxUnavailable(deployment: V1Deployment): number {
  const desired = deployment.spec?.replicas ?? 1;
  if (!isRollingUpdate(deployment) || desired === 0) return 0;
  return Math.min(resolveFenceposts(deployment).maxUnavailable, desired);
}

/** Replicas the deployment may run at most during a rollout (the max-replicas annotation). */
export function maxReplicas(deployment: V1Deployment): number {
  const desired = deployment.spec?.replicas ?? 1;
  return isRollingUpdate(deployment) ? desired + resolveFenceposts(deployment).maxSurge : desired;
}

export const specReplicas = (rs: V1ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
export const availableReplicas = (rs: V1ReplicaSet | undefined): number => rs?.status?.availableReplicas ?? 0;
export const sumSpec = (list: V1ReplicaSet[]): number => list.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumAvailable = (list: V1ReplicaSet[]): number => list.reduce((n, rs) => n + availableReplicas(rs), 0);

/** Oldest first; ties by name so the order is stable. */
export function byCreation(a: V1ReplicaSet, b: V1ReplicaSet): number {
  const d = (timeMs(a.metadata?.creationTimestamp) ?? 0) - (timeMs(b.metadata?.creationTimestamp) ?? 0);
  return d !== 0 ? d : (a.metadata?.name ?? "") < (b.metadata?.name ?? "") ? -1 : 1;
}

/** The new ReplicaSet's replicas after scaling up as far as maxSurge allows. */
export function newReplicaSetReplicas(deployment: V1Deployment, allRSs: V1ReplicaSet[], newRS: V1ReplicaSet | undefined): number {
  const desired = deployment.spec?.replicas ?? 1;
  if (!isRollingUpdate(deployment)) return desired;
  const current = specReplicas(newRS);
  const total = sumSpec(allRSs);
  const maxTotal = desired + resolveFenceposts(deployment).maxSurge;
  if (total >= maxTotal) return current;
  const up = Math.min(maxTotal - total, Math.max(0, desired - current));
  return current + up;
}

export interface ScaleStep {
  /** ReplicaSet name -> new spec.replicas, only for the ones that change. */
  scale: Map<string, number>;
}

/**
 * One rolling step: grow the new ReplicaSet if allowed; otherwise shrink old ones, first their
 * unavailable pods (they count for nothing), then healthy ones down to minAvailable.
 */
export function rollingStep(deployment: V1Deployment, newRS: V1ReplicaSet, oldRSs: V1ReplicaSet[]): ScaleStep {
  const scale = new Map<string, number>();
  const all = [newRS, ...oldRSs];
  const desired = deployment.spec?.replicas ?? 1;
  const wanted = newReplicaSetReplicas(deployment, all, newRS);
  if (specReplicas(newRS) > desired) {
    scale.set(newRS.metadata?.name ?? "", desired);
    return { scale };
  }
  if (wanted !== specReplicas(newRS)) {
    scale.set(newRS.metadata?.name ?? "", wanted);
    return { scale };
  }
  scaleDownOld(deployment, newRS, oldRSs, scale);
  return { scale };
}

function scaleDownOld(deployment: V1Deployment, newRS: V1ReplicaSet, oldRSs: V1ReplicaSet[], scale: Map<string, number>): void {
  if (sumSpec(oldRSs) === 0) return;
  const desired = deployment.spec?.replicas ?? 1;
  const minAvailable = desired - maxUnavailable(deployment);
  const newUnavailable = specReplicas(newRS) - availableReplicas(newRS);
  const maxScaledDown = sumSpec([newRS, ...oldRSs]) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return;
  const sorted = [...oldRSs].sort(byCreation);
  const replicas = new Map(sorted.map((rs) => [rs.metadata?.name ?? "", specReplicas(rs)]));
  let cleaned = 0;
  for (const rs of sorted) {
    const name = rs.metadata?.name ?? "";
    const current = replicas.get(name) ?? 0;
    const unhealthy = current - availableReplicas(rs);
    if (cleaned >= maxScaledDown) break;
    if (current === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    replicas.set(name, current - down);
    cleaned += down;
  }
  const available = sumAvailable([newRS, ...oldRSs]);
  let budget = Math.max(0, available - minAvailable);
  for (const rs of sorted) {
    if (budget <= 0) break;
    const name = rs.metadata?.name ?? "";
    const current = replicas.get(name) ?? 0;
    const down = Math.min(current, budget);
    if (down === 0) continue;
    replicas.set(name, current - down);
    budget -= down;
  }
  for (const rs of sorted) {
    const name = rs.metadata?.name ?? "";
    const next = replicas.get(name) ?? 0;
    if (next !== specReplicas(rs)) scale.set(name, next);
  }
}
