// Revision bookkeeping (deployment/util): every ReplicaSet carries
// `deployment.kubernetes.io/revision`; the one matching the current template gets the highest
// number, so `kubectl rollout history` lists them and `rollout undo` finds the previous one.
// Deployment annotations are copied onto the new ReplicaSet (that is how change-cause shows
// up in history), except the ones that describe the Deployment object itself.
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";

export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

const NOT_COPIED = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to"]);

export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  const n = Number(obj.metadata?.annotations?.[REVISION] ?? "0");
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

export function maxRevision(list: V1ReplicaSet[]): number {
  return list.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/**
 * The new ReplicaSet's annotations for this sync: deployment annotations copied, revision set to
 * `revision` unless it already has a higher one, desired / max replicas recorded.
 */
export function newReplicaSetAnnotations(options: { deployment: V1Deployment; rs: V1ReplicaSet | undefined; revision: number; maxReplicas: number }): Record<string, string> {
  const out: Record<string, string> = { ...(options.rs?.metadata?.annotations ?? {}) };
  for (const [k, v] of Object.entries(options.deployment.metadata?.annotations ?? {})) {
    if (!NOT_COPIED.has(k)) out[k] = v;
  }
  const current = options.rs ? revisionOf(options.rs) : 0;
  if (current < options.revision) out[REVISION] = String(options.revision);
  out[DESIRED_REPLICAS] = String(options.deployment.spec?.replicas ?? 1);
  out[MAX_REPLICAS] = String(options.maxReplicas);
  return out;
}

/** The deployment's revision annotation follows its new ReplicaSet's. */
export function deploymentAnnotations(deployment: V1Deployment, newRS: V1ReplicaSet | undefined): Record<string, string> | undefined {
  const have = deployment.metadata?.annotations ?? {};
  const revision = newRS?.metadata?.annotations?.[REVISION];
  if (revision === undefined || have[REVISION] === revision) return undefined;
  return { ...have, [REVISION]: revision };
}

export function annotationsEqual(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}
