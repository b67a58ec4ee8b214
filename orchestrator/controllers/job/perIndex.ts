// backoffLimitPerIndex for Indexed Jobs (pkg/controller/job/indexed_job_utils.go): each pod
// carries how often its index failed before (annotation job-index-failure-count); an index
// whose pod fails with that count at the limit, or matches a FailIndex rule, is failed for
// good. The last failed pod of an index keeps its finalizer until its replacement exists, so
// the count carries over, and the replacement waits out a per-index backoff.
import type { V1Pod } from "@kubernetes/client-node";
import { matchPodFailurePolicy } from "./failurePolicy.js";
import { completionIndexOf, hasIndex, parseIndexes, totalOf, validIndexOf, withIndexes, type Intervals } from "./indexes.js";
import type { JobContext } from "./plan.js";
import { finishedAtMs, isPodFailed, podBackoffMs } from "./podState.js";
import type { NewCondition } from "./status.js";

export const INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
export const INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count";

function annotationCount(pod: V1Pod, key: string): number {
  const raw = pod.metadata?.annotations?.[key];
  return raw !== undefined && /^\d{1,10}$/.test(raw) && Number(raw) <= 2 ** 31 - 1 ? Number(raw) : 0;
}

function absoluteFailures(pod: V1Pod): number {
  return annotationCount(pod, INDEX_FAILURE_COUNT) + annotationCount(pod, INDEX_IGNORED_FAILURE_COUNT);
}

function isIndexFailed(c: JobContext, pod: V1Pod): boolean {
  if (!isPodFailed(pod, c.job)) return false;
  let counted = true;
  if (c.job.spec?.podFailurePolicy) {
    const m = matchPodFailurePolicy(c.job, pod);
    if (m.action === "FailIndex") return true;
    counted = m.countFailed;
  }
  return counted && annotationCount(pod, INDEX_FAILURE_COUNT) >= (c.job.spec?.backoffLimitPerIndex ?? 0);
}

export function failedIndexesOf(c: JobContext): Intervals {
  const completions = c.completions ?? 0;
  const prev = parseIndexes(c.status.failedIndexes, completions);
  const fresh = c.tracked.filter((p) => isIndexFailed(c, p)).flatMap((p) => validIndexOf(p, completions) ?? []);
  return withIndexes(prev, fresh);
}

export function perIndexFinish(c: JobContext): NewCondition | undefined {
  const failed = totalOf(c.failedIndexes ?? []);
  const max = c.job.spec?.maxFailedIndexes;
  if (max !== undefined && failed > max) return { type: "FailureTarget", reason: "MaxFailedIndexesExceeded", message: "Job has exceeded the specified maximal number of failed indexes" };
  if (failed > 0 && failed + totalOf(c.succeededIndexes) >= (c.completions ?? 0)) return { type: "FailureTarget", reason: "FailedIndexes", message: "Job has failed indexes" };
  return undefined;
}

/** Per index, the latest failed pod still waiting for a replacement. */
export function delayedPerIndex(c: JobContext): Map<number, V1Pod> {
  const completions = c.completions ?? 0;
  const activeIndexes = new Set(c.active.flatMap((p) => completionIndexOf(p) ?? []));
  const out = new Map<number, V1Pod>();
  for (const p of c.tracked) {
    const ix = validIndexOf(p, completions);
    if (ix === undefined || !isPodFailed(p, c.job)) continue;
    if (hasIndex(c.succeededIndexes, ix) || hasIndex(c.failedIndexes ?? [], ix) || activeIndexes.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (absoluteFailures(last) <= absoluteFailures(p) && finishedAtMs(p) >= finishedAtMs(last))) out.set(ix, p);
  }
  return out;
}

/** Ms until index `ix` may get a new pod (0: now). */
export function perIndexWaitMs(c: JobContext, ix: number): number {
  const last = c.delayed.get(ix);
  if (!last) return 0;
  return Math.max(0, finishedAtMs(last) + podBackoffMs(absoluteFailures(last) + 1) - c.now);
}

/** The failure-count annotations of the pod that replaces index `ix`. */
export function replacementCounts(c: JobContext, ix: number): Record<string, string> {
  const last = c.delayed.get(ix);
  if (!last) return { [INDEX_FAILURE_COUNT]: "0" };
  let failures = annotationCount(last, INDEX_FAILURE_COUNT);
  let ignored = annotationCount(last, INDEX_IGNORED_FAILURE_COUNT);
  if (!c.job.spec?.podFailurePolicy || matchPodFailurePolicy(c.job, last).countFailed) failures++;
  else ignored++;
  return { [INDEX_FAILURE_COUNT]: String(failures), ...(ignored > 0 ? { [INDEX_IGNORED_FAILURE_COUNT]: String(ignored) } : {}) };
}
