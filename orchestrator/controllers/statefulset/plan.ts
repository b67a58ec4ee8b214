// One StatefulSet sync as a pure function (stateful_set_control.go): make pods 0..replicas-1
// exist in order, remove higher ordinals from the top, and roll pods at or above the partition
// to the update revision from the highest ordinal down, one at a time. With OrderedReady each
// step waits for every lower ordinal to be Running and Ready; Parallel does not wait to create
// or delete (rolling updates still go one at a time).
import type { V1PersistentVolumeClaim, V1Pod, V1PodTemplateSpec, V1StatefulSet, V1StatefulSetStatus } from "@kubernetes/client-node";
import { REVISION_HASH_LABEL } from "../controllerrevision/history.js";
import { isPodAvailable, isPodReady, isTerminating } from "../shared/pods.js";
import { buildPod, claimsFor, ordinalOf } from "./identity.js";

export interface StatefulSetPlan {
  createClaims: V1PersistentVolumeClaim[];
  /** Claims of ordinals scaled away, when persistentVolumeClaimRetentionPolicy.whenScaled is Delete. */
  deleteClaims: string[];
  createPods: V1Pod[];
  deletePods: V1Pod[];
  status: V1StatefulSetStatus;
}

export interface PlanStatefulSetOptions {
  /** Pods the set controls. */
  pods: V1Pod[];
  /** Names of the PVCs that exist in the namespace. */
  claims: Set<string>;
  currentRevision: { name: string; template: V1PodTemplateSpec };
  updateRevision: { name: string; template: V1PodTemplateSpec };
  now: number;
}

const revisionOfPod = (p: V1Pod): string | undefined => p.metadata?.labels?.[REVISION_HASH_LABEL];
const runningAndReady = (p: V1Pod): boolean => p.status?.phase === "Running" && isPodReady(p);
const failed = (p: V1Pod): boolean => p.status?.phase === "Failed" || p.status?.phase === "Succeeded";

export function planStatefulSet(set: V1StatefulSet, options: PlanStatefulSetOptions): StatefulSetPlan {
  const replicas = set.spec?.replicas ?? 1;
  const parallel = set.spec?.podManagementPolicy === "Parallel";
  const plan: StatefulSetPlan = { createClaims: [], deleteClaims: [], createPods: [], deletePods: [], status: statefulSetStatus(set, options) };
  const byOrdinal = new Map<number, V1Pod>();
  const condemned: V1Pod[] = [];
  for (const p of options.pods) {
    const ordinal = ordinalOf(set, p);
    if (ordinal === undefined) continue;
    if (ordinal < replicas) byOrdinal.set(ordinal, p);
    else condemned.push(p);
  }
  if (isTerminating({ metadata: set.metadata })) return plan;
  if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === "Delete") {
    plan.deleteClaims = scaledAwayClaims(set, options.claims, new Set(condemned.map((p) => ordinalOf(set, p))));
  }
  const partition = set.spec?.updateStrategy?.type === "OnDelete" ? replicas : (set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0);
  const wantedRevision = (ordinal: number): { name: string; template: V1PodTemplateSpec } =>
    ordinal < partition ? options.currentRevision : options.updateRevision;
  for (let ordinal = 0; ordinal < replicas; ordinal++) {
    const pod = byOrdinal.get(ordinal);
    if (pod && failed(pod) && !isTerminating(pod)) {
      plan.deletePods.push(pod);
      if (!parallel) return plan;
      continue;
    }
    if (!pod) {
      const revision = wantedRevision(ordinal);
      plan.createClaims.push(...claimsFor(set, ordinal).filter((c) => !options.claims.has(c.metadata?.name ?? "")));
      plan.createPods.push(buildPod(set, { ordinal, template: revision.template, revision: revision.name }));
      if (!parallel) return plan;
      continue;
    }
    plan.createClaims.push(...claimsFor(set, ordinal).filter((c) => !options.claims.has(c.metadata?.name ?? "")));
    if (!parallel && (isTerminating(pod) || !runningAndReady(pod))) return plan;
  }
  const healthy = [...byOrdinal.values()].every((p) => runningAndReady(p) && !isTerminating(p)) && byOrdinal.size === replicas;
  const doomed = condemned.filter((p) => !isTerminating(p)).sort((a, b) => (ordinalOf(set, b) ?? 0) - (ordinalOf(set, a) ?? 0));
  if (doomed.length > 0) {
    if (parallel) plan.deletePods.push(...doomed);
    else if (healthy && condemned.every((p) => !isTerminating(p))) plan.deletePods.push(doomed[0]);
    return plan;
  }
  if (condemned.length > 0 || !healthy) return plan;
  for (let ordinal = replicas - 1; ordinal >= partition; ordinal--) {
    const pod = byOrdinal.get(ordinal);
    if (pod && revisionOfPod(pod) !== options.updateRevision.name) {
      plan.deletePods.push(pod);
      return plan;
    }
  }
  return plan;
}

/** Claims TEMPLATE-SET-N with N >= replicas whose pod is gone. */
function scaledAwayClaims(set: V1StatefulSet, claims: Set<string>, podOrdinals: Set<number | undefined>): string[] {
  const replicas = set.spec?.replicas ?? 1;
  const out: string[] = [];
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const prefix = `${t.metadata?.name ?? ""}-${set.metadata?.name ?? ""}-`;
    for (const name of claims) {
      const rest = name.startsWith(prefix) ? name.slice(prefix.length) : "";
      if (!/^(0|[1-9]\d*)$/.test(rest)) continue;
      const ordinal = Number(rest);
      if (ordinal >= replicas && !podOrdinals.has(ordinal)) out.push(name);
    }
  }
  return out.sort();
}

export function statefulSetStatus(set: V1StatefulSet, options: PlanStatefulSetOptions): V1StatefulSetStatus {
  const active = options.pods.filter((p) => !failed(p));
  const minReady = set.spec?.minReadySeconds ?? 0;
  const replicas = set.spec?.replicas ?? 1;
  const status: V1StatefulSetStatus = {
    observedGeneration: set.metadata?.generation,
    replicas: active.length,
    readyReplicas: active.filter(runningAndReady).length,
    availableReplicas: active.filter((p) => runningAndReady(p) && isPodAvailable(p, minReady, options.now)).length,
    currentReplicas: active.filter((p) => revisionOfPod(p) === options.currentRevision.name).length,
    updatedReplicas: active.filter((p) => revisionOfPod(p) === options.updateRevision.name).length,
    currentRevision: options.currentRevision.name,
    updateRevision: options.updateRevision.name,
    collisionCount: set.status?.collisionCount ?? 0,
  };
  // The rollout is complete once every replica runs the update revision and is ready.
  if (status.updatedReplicas === replicas && status.replicas === replicas && (status.readyReplicas ?? 0) === replicas) {
    status.currentRevision = options.updateRevision.name;
    status.currentReplicas = status.updatedReplicas;
  }
  return status;
}
