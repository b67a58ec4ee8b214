// manageJob (pkg/controller/job/job_controller.go): a suspended Job loses its active pods; one
// with too many (or, Indexed, duplicate or out-of-range indexes) loses the surplus; one with
// too few starts pods after the failure backoff, Indexed ones for the lowest pending indexes.
// Pods removed here are not failures: their finalizer goes before the delete.
import type { V1Pod } from "@kubernetes/client-node";
import { compareForDeletion } from "../shared/pods.js";
import { completionIndexOf, firstPendingIndexes, mergeIntervals, withIndexes } from "./indexes.js";
import { perIndexWaitMs, replacementCounts } from "./perIndex.js";
import type { JobContext } from "./plan.js";
import { backoffRemainingMs, isPodReady, isTerminatingPod, onlyReplaceFailedPods } from "./podState.js";

/** Kubernetes' MaxPodCreateDeletePerSync. */
export const MAX_PER_SYNC = 500;

export interface PodToCreate {
  /** Completion index (Indexed Jobs). */
  index?: number;
  /** Extra annotations: the per-index failure counts. */
  annotations?: Record<string, string>;
}

function removeActive(c: JobContext, pods: V1Pod[]): void {
  const gone = new Set(pods);
  c.plan.deleteUntracked.push(...pods);
  c.active = c.active.filter((p) => !gone.has(p));
  c.terminating += pods.length;
  c.ready -= pods.filter(isPodReady).length;
}

/** Duplicate, missing or out-of-range indexes first (Indexed), then the usual deletion order. */
function podsForRemoval(c: JobContext, atLeast: number): V1Pod[] {
  const rm: V1Pod[] = [];
  let left = c.active;
  if (c.indexed) {
    const byIndex = new Map<number, V1Pod[]>();
    left = [];
    for (const p of c.active) {
      const ix = completionIndexOf(p);
      if (ix === undefined || ix >= (c.completions ?? 0)) rm.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const group of byIndex.values()) {
      const sorted = [...group].sort(compareForDeletion);
      rm.push(...sorted.slice(0, -1));
      left.push(sorted[sorted.length - 1]);
    }
  }
  if (rm.length < atLeast) rm.push(...[...left].sort(compareForDeletion).slice(0, atLeast - rm.length));
  return rm;
}

function requeue(c: JobContext, ms: number): void {
  c.plan.requeueAfterMs = Math.min(c.plan.requeueAfterMs ?? Infinity, Math.max(1, ms));
}

function indexesToCreate(c: JobContext, count: number): number[] {
  const completions = c.completions ?? 0;
  let taken = withIndexes(c.succeededIndexes, c.active.flatMap((p) => completionIndexOf(p) ?? []));
  if (onlyReplaceFailedPods(c.job)) taken = withIndexes(taken, c.pods.filter(isTerminatingPod).flatMap((p) => completionIndexOf(p) ?? []));
  if (c.failedIndexes) taken = mergeIntervals(taken, c.failedIndexes);
  const pending = firstPendingIndexes(taken, count, completions);
  if (c.job.spec?.backoffLimitPerIndex === undefined) return pending;
  const now = pending.filter((ix) => perIndexWaitMs(c, ix) === 0);
  if (now.length === 0 && pending.length > 0) requeue(c, Math.min(...pending.map((ix) => perIndexWaitMs(c, ix))));
  return now;
}

export function manageJob(c: JobContext): void {
  const { job } = c;
  if (job.spec?.suspend === true) {
    removeActive(c, c.active);
    return;
  }
  const parallelism = Math.max(0, job.spec?.parallelism ?? 1);
  const active = c.active.length;
  const want = c.completions === null ? (c.succeeded > 0 ? active : parallelism) : Math.max(0, Math.min(c.completions - c.succeeded, parallelism));
  const surplus = podsForRemoval(c, Math.max(0, active - want));
  if (surplus.length > 0) {
    removeActive(c, surplus.slice(0, MAX_PER_SYNC));
    return;
  }
  const terminating = onlyReplaceFailedPods(job) ? c.terminating : 0;
  const diff = Math.min(want - terminating - active, MAX_PER_SYNC);
  if (diff <= 0) return;
  if (job.spec?.backoffLimitPerIndex === undefined) {
    const wait = backoffRemainingMs(c.pods, job, c.now);
    if (wait > 0) {
      requeue(c, wait);
      return;
    }
  }
  if (!c.indexed) {
    c.plan.create = Array.from({ length: diff }, () => ({}));
    return;
  }
  const perIndex = job.spec?.backoffLimitPerIndex !== undefined;
  c.plan.create = indexesToCreate(c, diff).map((index) => ({ index, annotations: perIndex ? replacementCounts(c, index) : undefined }));
}
