// One Deployment sync as a pure function (deployment_controller.go syncDeployment): claim
// ReplicaSets, find or build the new one, then either scale (paused or a replicas change) or
// take one rollout step (RollingUpdate / Recreate), clean up history once complete, and
// compute status. The controller executes the plan; the next sync sees the result.
import type { V1Deployment, V1DeploymentStatus, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { claimObjects } from "../shared/claim.js";
import { isTerminating } from "../shared/pods.js";
import { buildReplicaSet, splitReplicaSets } from "./newReplicaSet.js";
import { DESIRED_REPLICAS, MAX_REPLICAS, deploymentAnnotations, maxRevision, newReplicaSetAnnotations, revisionOf, annotationsEqual } from "./revision.js";
import { isRollingUpdate, maxReplicas, newReplicaSetReplicas, rollingStep, specReplicas } from "./rolling.js";
import { isScalingEvent, proportionalScale } from "./scale.js";
import { deploymentComplete, deploymentStatus } from "./status.js";

export interface ReplicaSetUpdate {
  rs: V1ReplicaSet;
  replicas: number;
  annotations: Record<string, string>;
}

export interface DeploymentPlan {
  adopt: V1ReplicaSet[];
  release: V1ReplicaSet[];
  create?: V1ReplicaSet;
  update: ReplicaSetUpdate[];
  delete: V1ReplicaSet[];
  /** New metadata.annotations for the Deployment (its revision), when they change. */
  annotations?: Record<string, string>;
  status: V1DeploymentStatus;
  requeueAfter?: number;
}

export interface PlanDeploymentOptions {
  /** ReplicaSets in the namespace (the claim picks the deployment's own). */
  replicaSets: V1ReplicaSet[];
  /** Pods of the namespace: Recreate waits until the old ones are gone. */
  pods: V1Pod[];
  now: number;
}

export function planDeployment(d: V1Deployment, options: PlanDeploymentOptions): DeploymentPlan {
  const deleting = isTerminating({ metadata: d.metadata });
  const claim = claimObjects(options.replicaSets, { ownerUid: d.metadata?.uid ?? "", selector: d.spec?.selector, ownerDeleting: deleting });
  const owned = [...claim.owned, ...claim.adopt];
  const split = splitReplicaSets(d, owned);
  const plan: DeploymentPlan = { adopt: claim.adopt, release: claim.release, update: [], delete: [], status: d.status ?? {} };
  if (deleting) return withStatus(plan, d, split.newRS, split.oldRSs, options.now);
  const revision = maxRevision(split.oldRSs) + 1;
  const annotationsFor = (rs: V1ReplicaSet | undefined): Record<string, string> => newReplicaSetAnnotations({ deployment: d, rs, revision, maxReplicas: maxReplicas(d) });
  const replicas = new Map<string, number>(owned.map((rs) => [rs.metadata?.name ?? "", specReplicas(rs)]));
  let newRS = split.newRS;
  const paused = d.spec?.paused === true;
  if (paused || isScalingEvent(d, owned)) {
    for (const [name, n] of proportionalScale(d, newRS, split.oldRSs)) replicas.set(name, n);
  } else {
    if (!newRS && !(!isRollingUpdate(d) && oldPodsRunning(split.oldRSs, options.pods))) {
      const size = isRollingUpdate(d) ? newReplicaSetReplicas(d, owned, undefined) : d.spec?.replicas ?? 1;
      plan.create = buildReplicaSet({ deployment: d, replicas: size, annotations: annotationsFor(undefined) });
      newRS = plan.create;
      replicas.set(newRS.metadata?.name ?? "", size);
    } else if (newRS) {
      for (const [name, n] of rolloutStep(d, newRS, split.oldRSs, options.pods)) replicas.set(name, n);
    } else {
      for (const rs of split.oldRSs) replicas.set(rs.metadata?.name ?? "", 0);
    }
  }
  for (const rs of owned) {
    const name = rs.metadata?.name ?? "";
    const n = replicas.get(name) ?? specReplicas(rs);
    const annotations = rs === newRS ? annotationsFor(rs) : n !== specReplicas(rs) ? scaledAnnotations(d, rs) : (rs.metadata?.annotations ?? {});
    if (n !== specReplicas(rs) || !annotationsEqual(annotations, rs.metadata?.annotations)) plan.update.push({ rs, replicas: n, annotations });
  }
  const result = withStatus(plan, d, newRS, split.oldRSs, options.now, plan.create !== undefined);
  if (plan.create) result.annotations = deploymentAnnotations(d, plan.create);
  else if (newRS) result.annotations = deploymentAnnotations(d, { metadata: { annotations: annotationsFor(newRS) } });
  if (newRS && deploymentComplete(d, result.status) && !paused) result.delete = historyToDelete(d, split.oldRSs);
  return result;
}

function scaledAnnotations(d: V1Deployment, rs: V1ReplicaSet): Record<string, string> {
  return { ...(rs.metadata?.annotations ?? {}), [DESIRED_REPLICAS]: String(d.spec?.replicas ?? 1), [MAX_REPLICAS]: String(maxReplicas(d)) };
}

function rolloutStep(d: V1Deployment, newRS: V1ReplicaSet, oldRSs: V1ReplicaSet[], pods: V1Pod[]): Map<string, number> {
  if (isRollingUpdate(d)) return rollingStep(d, newRS, oldRSs).scale;
  const out = new Map<string, number>();
  const oldActive = oldRSs.filter((rs) => specReplicas(rs) > 0);
  for (const rs of oldActive) out.set(rs.metadata?.name ?? "", 0);
  const desired = d.spec?.replicas ?? 1;
  if (oldActive.length === 0 && !oldPodsRunning(oldRSs, pods) && specReplicas(newRS) !== desired) out.set(newRS.metadata?.name ?? "", desired);
  return out;
}

/** Recreate waits for every old pod to be gone (or finished) before starting new ones. */
function oldPodsRunning(oldRSs: V1ReplicaSet[], pods: V1Pod[]): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  const uids = new Set(oldRSs.map((rs) => rs.metadata?.uid));
  return pods.some((p) => {
    const owner = (p.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
    const phase = p.status?.phase;
    return owner !== undefined && uids.has(owner.uid) && phase !== "Succeeded" && phase !== "Failed";
  });
}

/** Old, empty ReplicaSets beyond revisionHistoryLimit, oldest revision first. */
function historyToDelete(d: V1Deployment, oldRSs: V1ReplicaSet[]): V1ReplicaSet[] {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const empty = oldRSs.filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !isTerminating({ metadata: rs.metadata }));
  const excess = empty.length - limit;
  if (excess <= 0) return [];
  return [...empty].sort((a, b) => revisionOf(a) - revisionOf(b)).slice(0, excess);
}

function withStatus(plan: DeploymentPlan, d: V1Deployment, newRS: V1ReplicaSet | undefined, oldRSs: V1ReplicaSet[], now: number, createdNewRS = false): DeploymentPlan {
  const result = deploymentStatus({ deployment: d, newRS, oldRSs, now, createdNewRS });
  return { ...plan, status: result.status, requeueAfter: result.requeueAfter };
}
