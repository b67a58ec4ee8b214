// How the Job controller reads its pods: tracked (still holding the job-tracking finalizer,
// so not yet counted in status), active, terminating, failed as the Job counts failures, and
// the pod backoff after failures (pkg/controller/job/backoff_utils.go: 10 s doubling to 6 min).
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { isPodReady } from "../shared/pods.js";
import { millisOf } from "./time.js";

export const TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_MAX_MS = 6 * 60_000;

export function hasTrackingFinalizer(pod: { metadata?: { finalizers?: string[] } }): boolean {
  return (pod.metadata?.finalizers ?? []).includes(TRACKING_FINALIZER);
}

export function isTerminal(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

export function isDeleting(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

export function isActive(pod: V1Pod): boolean {
  return !isTerminal(pod) && !isDeleting(pod);
}

/** Being deleted but not finished: counted in status.terminating. */
export function isTerminatingPod(pod: V1Pod): boolean {
  return isDeleting(pod) && !isTerminal(pod);
}

export { isPodReady };

/** podReplacementPolicy Failed (the default with a podFailurePolicy): wait for a terminal phase. */
export function onlyReplaceFailedPods(job: V1Job): boolean {
  return job.spec?.podReplacementPolicy === "Failed" || job.spec?.podFailurePolicy !== undefined;
}

/** Failed, or deleted before it could finish (so orphaned pods count) unless only Failed pods count. */
export function isPodFailed(pod: V1Pod, job: V1Job): boolean {
  if (pod.status?.phase === "Failed") return true;
  if (onlyReplaceFailedPods(job)) return false;
  return isDeleting(pod) && pod.status?.phase !== "Succeeded";
}

/** When the pod finished: its last container finish time, else when it was deleted or created. */
export function finishedAtMs(pod: V1Pod): number {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const finishes = statuses.map((s) => millisOf(s.state?.terminated?.finishedAt) ?? 0);
  const latest = Math.max(0, ...finishes);
  if (latest > 0) return latest;
  return millisOf(pod.metadata?.deletionTimestamp) ?? millisOf(pod.metadata?.creationTimestamp) ?? 0;
}

/** Delay before the next pod may start after `failures` failures in a row: 10 s doubling, capped. */
export function podBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 30));
}

/** Ms until a new pod may start, given failures since the last success; 0 when it may now. */
export function backoffRemainingMs(pods: V1Pod[], job: V1Job, now: number): number {
  const lastSuccess = Math.max(0, ...pods.filter((p) => p.status?.phase === "Succeeded").map(finishedAtMs));
  const failures = pods.filter((p) => isPodFailed(p, job) && finishedAtMs(p) >= lastSuccess);
  if (failures.length === 0) return 0;
  const lastFailure = Math.max(...failures.map(finishedAtMs));
  return Math.max(0, lastFailure + podBackoffMs(failures.length) - now);
}

/** restartPolicy OnFailure: container restarts of running pods stand in for failed pods. */
export function pastBackoffLimitOnFailure(job: V1Job, pods: V1Pod[]): boolean {
  if (job.spec?.template.spec?.restartPolicy !== "OnFailure") return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== "Running" && p.status?.phase !== "Pending") continue;
    for (const s of [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])]) restarts += s.restartCount;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}
