// Scaling a Deployment mid-rollout (deployment/sync.go scale): when spec.replicas changes while
// several ReplicaSets are active, the extra (or removed) pods are spread over them in
// proportion to their size, so a rollout in progress keeps its ratio instead of jumping.
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { timeMs } from "../shared/pods.js";
import { DESIRED_REPLICAS, MAX_REPLICAS } from "./revision.js";
import { byCreation, isRollingUpdate, maxReplicas, specReplicas, sumSpec } from "./rolling.js";

/** True when some active ReplicaSet was sized for a different spec.replicas. */
export function isScalingEvent(deployment: V1Deployment, all: V1ReplicaSet[]): boolean {
  const desired = String(deployment.spec?.replicas ?? 1);
  return all.some((rs) => specReplicas(rs) > 0 && (rs.metadata?.annotations?.[DESIRED_REPLICAS] ?? desired) !== desired);
}

function activeOrLatest(newRS: V1ReplicaSet | undefined, oldRSs: V1ReplicaSet[]): V1ReplicaSet | undefined {
  const all = newRS ? [newRS, ...oldRSs] : oldRSs;
  const active = all.filter((rs) => specReplicas(rs) > 0);
  if (active.length === 1) return active[0];
  if (active.length === 0) return newRS ?? [...oldRSs].sort(byCreation).at(-1);
  return undefined;
}

function saturated(deployment: V1Deployment, rs: V1ReplicaSet | undefined): boolean {
  const desired = deployment.spec?.replicas ?? 1;
  return rs !== undefined && specReplicas(rs) === desired && rs.metadata?.annotations?.[DESIRED_REPLICAS] === String(desired) && (rs.status?.availableReplicas ?? 0) === desired;
}

/** Bigger first; among equals the newer first when growing, the older first when shrinking. */
function bySize(growing: boolean): (a: V1ReplicaSet, b: V1ReplicaSet) => number {
  return (a, b) => {
    if (specReplicas(a) !== specReplicas(b)) return specReplicas(b) - specReplicas(a);
    const d = (timeMs(a.metadata?.creationTimestamp) ?? 0) - (timeMs(b.metadata?.creationTimestamp) ?? 0);
    return growing ? -d : d;
  };
}

/** ReplicaSet name -> new replicas for a scaling event (only changes). */
export function proportionalScale(deployment: V1Deployment, newRS: V1ReplicaSet | undefined, oldRSs: V1ReplicaSet[]): Map<string, number> {
  const out = new Map<string, number>();
  const desired = deployment.spec?.replicas ?? 1;
  const only = activeOrLatest(newRS, oldRSs);
  if (only) {
    if (specReplicas(only) !== desired) out.set(only.metadata?.name ?? "", desired);
    return out;
  }
  if (saturated(deployment, newRS)) {
    for (const rs of oldRSs) if (specReplicas(rs) !== 0) out.set(rs.metadata?.name ?? "", 0);
    return out;
  }
  if (!isRollingUpdate(deployment)) return out;
  const all = (newRS ? [newRS, ...oldRSs] : oldRSs).filter((rs) => specReplicas(rs) > 0);
  const allowed = desired > 0 ? maxReplicas(deployment) : 0;
  const toAdd = allowed - sumSpec(all);
  if (toAdd === 0) return out;
  const sorted = [...all].sort(bySize(toAdd > 0));
  let added = 0;
  const next = new Map<string, number>();
  for (const rs of sorted) {
    const annotated = Number(rs.metadata?.annotations?.[MAX_REPLICAS] ?? deployment.status?.replicas ?? 0);
    const fraction = desired === 0 || !(annotated > 0) ? -specReplicas(rs) : Math.round((specReplicas(rs) * allowed) / annotated) - specReplicas(rs);
    const room = toAdd - added;
    const share = toAdd > 0 ? Math.min(fraction, room) : Math.max(fraction, room);
    next.set(rs.metadata?.name ?? "", specReplicas(rs) + share);
    added += share;
  }
  const first = sorted[0];
  if (first && added !== toAdd) {
    const name = first.metadata?.name ?? "";
    next.set(name, Math.max(0, (next.get(name) ?? 0) + toAdd - added));
  }
  for (const rs of sorted) {
    const value = next.get(rs.metadata?.name ?? "") ?? specReplicas(rs);
    if (value !== specReplicas(rs)) out.set(rs.metadata?.name ?? "", Math.max(0, value));
  }
  return out;
}
