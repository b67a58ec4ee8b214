// The Job controller's decisions as a pure function of the Job, its pods and the time (after
// kube-controller-manager's pkg/controller/job/job_controller.go syncJob and
// trackJobStatusAndRemoveFinalizers). Pods carry the batch.kubernetes.io/job-tracking
// finalizer until the Job counted them: a finished pod goes into
// status.uncountedTerminatedPods, loses its finalizer, then moves into the counters, so the
// counts survive the pod's deletion. The reconciler carries the plan out in that order.
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { matchPodFailurePolicy } from "./failurePolicy.js";
import { formatIntervals, parseIndexes, totalOf, validIndexOf, withIndexes, type Intervals } from "./indexes.js";
import { manageJob, type PodToCreate } from "./manage.js";
import { failedIndexesOf, perIndexFinish, delayedPerIndex } from "./perIndex.js";
import { hasTrackingFinalizer, isActive, isPodFailed, isPodReady, isTerminatingPod, pastBackoffLimitOnFailure } from "./podState.js";
import { conditionTrue, countRemoved, ensureCondition, wireStatusOf, type NewCondition, type WireJobStatus } from "./status.js";
import { matchSuccessPolicy } from "./successPolicy.js";
import { millisOf, rfc3339 } from "./time.js";

export type { PodToCreate } from "./manage.js";

/** Kubernetes caps the pods one sync puts into uncountedTerminatedPods. */
export const MAX_UNCOUNTED_PODS = 500;

export interface JobEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export interface PlanJobInput {
  job: V1Job;
  /** Every pod the Job controls (by controller ownerReference). */
  pods: V1Pod[];
  now: number;
  /** Uids of pods whose finalizer removal is in flight: already counted. */
  removingFinalizers?: ReadonlySet<string>;
}

export interface JobPlan {
  /** Active pods to delete because the Job is finishing: they keep the finalizer and are counted. */
  deleteFinishing: V1Pod[];
  /** Pods to stop tracking and delete (suspended, surplus, duplicate index): finalizer first. */
  deleteUntracked: V1Pod[];
  create: PodToCreate[];
  /** The status to write before any finalizer is removed. */
  status: WireJobStatus;
  removeFinalizers: V1Pod[];
  /** Uids of pods holding the finalizer when planned (the uncounted ones stay until removed). */
  tracked: Set<string>;
  /** The terminal condition to add once nothing is uncounted or terminating. */
  finish?: NewCondition;
  requeueAfterMs?: number;
  events: JobEvent[];
}

/** What one sync knows about the Job and its pods; manage and track update it. */
export interface JobContext {
  job: V1Job;
  now: number;
  indexed: boolean;
  completions: number | null;
  pods: V1Pod[];
  active: V1Pod[];
  terminating: number;
  ready: number;
  tracked: V1Pod[];
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  succeeded: number;
  failed: number;
  prevSucceeded: Intervals;
  succeededIndexes: Intervals;
  failedIndexes?: Intervals;
  /** backoffLimitPerIndex: the failed pod per index whose finalizer stays until its replacement exists. */
  delayed: Map<number, V1Pod>;
  status: WireJobStatus;
  plan: JobPlan;
}

export function hasCondition(job: V1Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

export function finishedType(job: V1Job): "Complete" | "Failed" | undefined {
  if (hasCondition(job, "Complete")) return "Complete";
  if (hasCondition(job, "Failed")) return "Failed";
  return undefined;
}

function newFinished(c: JobContext, succeededPods: V1Pod[], failedPods: V1Pod[]): void {
  const s = c.status;
  const ignored = c.job.spec?.podFailurePolicy ? failedPods.filter((p) => !matchPodFailurePolicy(c.job, p).countFailed).length : 0;
  c.succeeded = (s.succeeded ?? 0) + succeededPods.length + c.uncounted.succeeded.size;
  c.failed = (s.failed ?? 0) + failedPods.length - ignored + c.uncounted.failed.size;
}

function classify(input: PlanJobInput): JobContext {
  const { job, pods, now } = input;
  const status = wireStatusOf(job);
  const indexed = job.spec?.completionMode === "Indexed";
  const completions = job.spec?.completions ?? null;
  const removing = input.removingFinalizers ?? new Set<string>();
  const tracked = pods.filter((p) => hasTrackingFinalizer(p) && !removing.has(p.metadata?.uid ?? ""));
  const active = pods.filter(isActive);
  const u = status.uncountedTerminatedPods;
  const plan: JobPlan = { deleteFinishing: [], deleteUntracked: [], create: [], status, removeFinalizers: [], tracked: new Set(tracked.map((p) => p.metadata?.uid ?? "")), events: [] };
  const c: JobContext = {
    job, now, indexed, completions, pods, active, plan, status, tracked,
    terminating: pods.filter(isTerminatingPod).length,
    ready: active.filter(isPodReady).length,
    uncounted: { succeeded: new Set(u.succeeded), failed: new Set(u.failed) },
    succeeded: 0, failed: 0, prevSucceeded: [], succeededIndexes: [], delayed: new Map(),
  };
  const fresh = tracked.filter((p) => !indexed || validIndexOf(p, completions ?? 0) !== undefined);
  const uid = (p: V1Pod) => p.metadata?.uid ?? "";
  newFinished(
    c,
    fresh.filter((p) => p.status?.phase === "Succeeded" && !c.uncounted.succeeded.has(uid(p))),
    fresh.filter((p) => isPodFailed(p, job) && !c.uncounted.failed.has(uid(p))),
  );
  if (status.startTime === undefined && job.spec?.suspend !== true) status.startTime = rfc3339(now);
  return c;
}

function deadlineMs(c: JobContext): number | undefined {
  const seconds = c.job.spec?.activeDeadlineSeconds;
  const start = millisOf(c.status.startTime);
  if (seconds === undefined || start === undefined || c.job.spec?.suspend === true) return undefined;
  return start + seconds * 1000;
}

function failJobMessage(c: JobContext): string | undefined {
  if (!c.job.spec?.podFailurePolicy) return undefined;
  for (const p of c.pods) {
    if (!isPodFailed(p, c.job)) continue;
    const m = matchPodFailurePolicy(c.job, p).failJobMessage;
    if (m !== undefined) return m;
  }
  return undefined;
}

/** A reason to end the Job, before pods are managed (failures, deadline, per-index, success policy). */
function decideEnding(c: JobContext): NewCondition | undefined {
  const met = conditionTrue(c.status, "SuccessCriteriaMet");
  if (met) return { type: "SuccessCriteriaMet", reason: met.reason ?? "", message: met.message ?? "" };
  const target = conditionTrue(c.status, "FailureTarget");
  if (target) return { type: "Failed", reason: target.reason ?? "", message: target.message ?? "" };
  const message = failJobMessage(c);
  if (message !== undefined) return { type: "FailureTarget", reason: "PodFailurePolicy", message };
  if (c.failed > (c.job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(c.job, c.pods)) {
    return { type: "FailureTarget", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
  }
  const deadline = deadlineMs(c);
  if (deadline !== undefined && c.now >= deadline) return { type: "FailureTarget", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
  if (deadline !== undefined) c.plan.requeueAfterMs = Math.max(1, deadline - c.now);
  return undefined;
}

function indexedEnding(c: JobContext, ending: NewCondition | undefined): NewCondition | undefined {
  const completions = c.completions ?? 0;
  c.prevSucceeded = parseIndexes(c.status.completedIndexes, completions);
  const fresh = c.tracked.filter((p) => p.status?.phase === "Succeeded").flatMap((p) => validIndexOf(p, completions) ?? []);
  c.succeededIndexes = withIndexes(c.prevSucceeded, fresh);
  c.succeeded = totalOf(c.succeededIndexes);
  if (c.job.spec?.backoffLimitPerIndex !== undefined) {
    c.failedIndexes = failedIndexesOf(c);
    ending ??= perIndexFinish(c);
    c.delayed = delayedPerIndex(c);
  }
  if (ending) return ending;
  const matched = matchSuccessPolicy(c.job.spec?.successPolicy, completions, c.succeededIndexes);
  return matched === undefined ? undefined : { type: "SuccessCriteriaMet", reason: "SuccessPolicy", message: matched };
}

function suspendCondition(c: JobContext): void {
  if (c.job.spec?.suspend === true) {
    if (ensureCondition(c.status, { type: "Suspended", reason: "JobSuspended", message: "Job suspended" }, c.now)) c.plan.events.push({ type: "Normal", reason: "Suspended", message: "Job suspended" });
    return;
  }
  if (ensureCondition(c.status, { type: "Suspended", status: "False", reason: "JobResumed", message: "Job resumed" }, c.now)) {
    c.plan.events.push({ type: "Normal", reason: "Resumed", message: "Job resumed" });
    // activeDeadlineSeconds counts continuous activity: a resumed Job starts its clock again.
    c.status.startTime = rfc3339(c.now);
  }
}

export function planJob(input: PlanJobInput): JobPlan {
  const c = classify(input);
  let ending = decideEnding(c);
  if (c.indexed) ending = indexedEnding(c, ending);
  if (ending) {
    c.plan.deleteFinishing = c.active;
    c.terminating += c.active.length;
    c.ready = 0;
    c.active = [];
  } else {
    const managed = c.job.metadata?.deletionTimestamp === undefined || c.job.metadata.deletionTimestamp === null;
    if (managed) manageJob(c);
    const done = c.completions === null ? c.succeeded > 0 && c.active.length === 0 : c.succeeded >= c.completions && c.active.length === 0;
    if (done) ending = { type: "SuccessCriteriaMet", reason: "CompletionsReached", message: "Reached expected number of succeeded pods" };
    else if (managed) suspendCondition(c);
  }
  track(c, ending);
  const s = c.status;
  s.active = c.active.length + c.plan.create.length || undefined;
  s.ready = c.ready;
  s.terminating = c.terminating;
  return c.plan;
}

function canRemoveFinalizer(c: JobContext, pod: V1Pod, failed: boolean, ending: NewCondition | undefined): boolean {
  if (c.job.metadata?.deletionTimestamp || ending || pod.status?.phase === "Succeeded") return true;
  if (!failed) return false;
  const ix = validIndexOf(pod, c.completions ?? 0);
  return ix === undefined || c.delayed.get(ix)?.metadata?.uid !== pod.metadata?.uid;
}

/** Counts finished pods into uncountedTerminatedPods and picks the finalizers to remove. */
function track(c: JobContext, ending: NewCondition | undefined): void {
  const { status, plan } = c;
  countRemoved(status, plan.tracked);
  const u = { succeeded: [...(status.uncountedTerminatedPods.succeeded ?? [])], failed: [...(status.uncountedTerminatedPods.failed ?? [])] };
  const newIndexes: number[] = [];
  const failing = ending !== undefined && ending.type !== "SuccessCriteriaMet" && ending.type !== "Complete";
  const pods = c.indexed ? [...c.tracked].sort((a, b) => (validIndexOf(a, Infinity) ?? -1) - (validIndexOf(b, Infinity) ?? -1)) : c.tracked;
  for (const pod of pods) {
    const uid = pod.metadata?.uid ?? "";
    const failed = isPodFailed(pod, c.job);
    if (!canRemoveFinalizer(c, pod, failed, ending)) continue;
    plan.removeFinalizers.push(pod);
    const ix = c.indexed ? validIndexOf(pod, c.completions ?? 0) : undefined;
    if (pod.status?.phase === "Succeeded" && !c.uncounted.failed.has(uid)) {
      if (c.indexed && ix !== undefined) newIndexes.push(ix);
      else if (!c.indexed && !c.uncounted.succeeded.has(uid)) u.succeeded.push(uid);
    } else if ((failed || failing) && !c.uncounted.failed.has(uid) && (!c.indexed || ix !== undefined)) {
      if (!c.job.spec?.podFailurePolicy || matchPodFailurePolicy(c.job, pod).countFailed) u.failed.push(uid);
    }
    if (newIndexes.length + u.succeeded.length + u.failed.length >= MAX_UNCOUNTED_PODS) break;
  }
  status.uncountedTerminatedPods = { succeeded: u.succeeded.length > 0 ? u.succeeded : undefined, failed: u.failed.length > 0 ? u.failed : undefined };
  if (c.indexed) {
    c.succeededIndexes = withIndexes(c.succeededIndexes, newIndexes);
    status.succeeded = totalOf(c.succeededIndexes) || undefined;
    status.completedIndexes = formatIntervals(c.succeededIndexes) || undefined;
    if (c.failedIndexes) status.failedIndexes = formatIntervals(c.failedIndexes);
  }
  plan.finish = interimThenFinal(c, ending);
}

/** Writes the interim condition now and returns the terminal one to add once all is counted. */
function interimThenFinal(c: JobContext, ending: NewCondition | undefined): NewCondition | undefined {
  if (!ending) return undefined;
  const { reason, message } = ending;
  if (ending.type === "FailureTarget") {
    ensureCondition(c.status, ending, c.now);
    return { type: "Failed", reason, message };
  }
  if (ending.type === "SuccessCriteriaMet") {
    if (!conditionTrue(c.status, "SuccessCriteriaMet")) ensureCondition(c.status, ending, c.now);
    return { type: "Complete", reason, message };
  }
  return ending;
}
