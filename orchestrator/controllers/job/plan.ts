// The Job controller's decisions as a pure function of the Job, its pods and the time (after
// kube-controller-manager's pkg/controller/job/job_controller.go syncJob): how many pods to
// start (or which completion indexes), which to delete, and which conditions to add. The
// reconciler only carries the plan out, so the rules are table-tested here.
import type { V1Job, V1JobCondition, V1Pod } from "@kubernetes/client-node";
import { millisOf } from "./time.js";

export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_MAX_MS = 6 * 60_000;
export const COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";

export type FinishType = "Complete" | "Failed";

export interface JobCondition {
  type: "Complete" | "Failed" | "SuccessCriteriaMet" | "FailureTarget" | "Suspended";
  reason: string;
  message: string;
}

export interface JobPlan {
  /** Pods to start now: NonIndexed count, or the indexes for Indexed Jobs. */
  create: number;
  createIndexes: number[];
  /** Names of non-terminated pods to delete (surplus, suspended, or the Job ended). */
  deletePods: string[];
  active: number;
  ready: number;
  succeeded: number;
  failed: number;
  completedIndexes?: string;
  /** Conditions to add (existing ones of the same type are kept). */
  conditions: JobCondition[];
  /** Set when the Job reaches its final state in this sync. */
  finished?: FinishType;
  /** Reconcile again after this long: pod backoff or the active deadline. */
  requeueAfterMs?: number;
}

interface PodView {
  name: string;
  phase: string;
  deleting: boolean;
  ready: boolean;
  index?: number;
  finishedAt: number;
}

function podView(pod: V1Pod): PodView {
  const statuses = pod.status?.containerStatuses ?? [];
  const finishes = statuses.map((s) => millisOf(s.state?.terminated?.finishedAt) ?? 0);
  const rawIndex = pod.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION];
  const index = rawIndex !== undefined && /^\d+$/.test(rawIndex) ? Number(rawIndex) : undefined;
  return {
    name: pod.metadata?.name ?? "",
    phase: pod.status?.phase ?? "Pending",
    deleting: pod.metadata?.deletionTimestamp !== undefined,
    ready: (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
    index,
    // A pod without container finish times counts as finishing when it was created.
    finishedAt: Math.max(0, ...finishes) || (millisOf(pod.metadata?.creationTimestamp) ?? 0),
  };
}

export function hasCondition(job: V1Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c: V1JobCondition) => c.type === type && c.status === "True");
}

export function finishedType(job: V1Job): FinishType | undefined {
  if (hasCondition(job, "Complete")) return "Complete";
  if (hasCondition(job, "Failed")) return "Failed";
  return undefined;
}

/** Delay before the next pod may start after `failures` failures in a row: 10 s doubling, capped. */
export function podBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 30));
}

/** "0-2,4,6-7" as Kubernetes writes status.completedIndexes. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

interface Counts {
  activePods: PodView[];
  succeeded: number;
  failed: number;
  succeededIndexes: Set<number>;
  failuresAfterSuccess: number;
  lastFailureAt: number;
}

function countPods(pods: PodView[], indexed: boolean, completions: number): Counts {
  const activePods = pods.filter((p) => p.phase !== "Succeeded" && p.phase !== "Failed" && !p.deleting);
  const succeededPods = pods.filter((p) => p.phase === "Succeeded");
  const failedPods = pods.filter((p) => p.phase === "Failed");
  const succeededIndexes = new Set<number>();
  if (indexed) for (const p of succeededPods) if (p.index !== undefined && p.index < completions) succeededIndexes.add(p.index);
  const lastSuccess = Math.max(0, ...succeededPods.map((p) => p.finishedAt));
  const recentFailures = failedPods.filter((p) => p.finishedAt >= lastSuccess);
  return {
    activePods,
    succeeded: indexed ? succeededIndexes.size : succeededPods.length,
    failed: failedPods.length,
    succeededIndexes,
    failuresAfterSuccess: recentFailures.length,
    lastFailureAt: Math.max(0, ...recentFailures.map((p) => p.finishedAt)),
  };
}

/** Pods to drop when there are too many: not ready before ready, newest first (by name as tie). */
function surplus(active: PodView[], keep: number): string[] {
  const order = [...active].sort((a, b) => Number(a.ready) - Number(b.ready) || b.name.localeCompare(a.name));
  return order.slice(0, Math.max(0, active.length - keep)).map((p) => p.name);
}

export interface PlanJobInput {
  job: V1Job;
  pods: V1Pod[];
  now: number;
}

export function planJob(input: PlanJobInput): JobPlan {
  const { job, now } = input;
  const spec = job.spec;
  const indexed = spec?.completionMode === "Indexed";
  const completions = spec?.completions ?? null;
  const parallelism = Math.max(0, spec?.parallelism ?? 1);
  const pods = input.pods.map(podView);
  const c = countPods(pods, indexed, completions ?? 0);
  const plan: JobPlan = {
    create: 0,
    createIndexes: [],
    deletePods: [],
    active: c.activePods.length,
    ready: c.activePods.filter((p) => p.ready).length,
    succeeded: c.succeeded,
    failed: c.failed,
    conditions: [],
  };
  if (indexed) plan.completedIndexes = formatIndexes(c.succeededIndexes);
  const ending = endingOf(job, c, now);
  if (ending) return finish(plan, job, c, ending);
  if (spec?.suspend === true) {
    plan.deletePods = c.activePods.map((p) => p.name);
    return plan;
  }
  const deadline = deadlineMs(job);
  if (deadline !== undefined) plan.requeueAfterMs = Math.max(1, deadline - now);
  scale(plan, { c, completions, parallelism, indexed, now });
  return plan;
}

interface Ending {
  type: FinishType;
  interim: "SuccessCriteriaMet" | "FailureTarget";
  reason: string;
  message: string;
}

function deadlineMs(job: V1Job): number | undefined {
  const seconds = job.spec?.activeDeadlineSeconds;
  const start = millisOf(job.status?.startTime);
  return seconds === undefined || start === undefined ? undefined : start + seconds * 1000;
}

function endingOf(job: V1Job, c: Counts, now: number): Ending | undefined {
  const done = finishedType(job);
  if (done === "Complete" || hasCondition(job, "SuccessCriteriaMet")) return { type: "Complete", interim: "SuccessCriteriaMet", reason: "CompletionsReached", message: "Reached expected number of succeeded pods" };
  const failTarget = (job.status?.conditions ?? []).find((x) => (x.type === "FailureTarget" || x.type === "Failed") && x.status === "True");
  if (failTarget) return { type: "Failed", interim: "FailureTarget", reason: failTarget.reason ?? "BackoffLimitExceeded", message: failTarget.message ?? "" };
  const backoffLimit = job.spec?.backoffLimit ?? 6;
  if (c.failed > backoffLimit) return { type: "Failed", interim: "FailureTarget", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
  const deadline = deadlineMs(job);
  if (deadline !== undefined && now >= deadline && job.spec?.suspend !== true) {
    return { type: "Failed", interim: "FailureTarget", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
  }
  const completions = job.spec?.completions ?? null;
  if (completions !== null && c.succeeded >= completions) return { type: "Complete", interim: "SuccessCriteriaMet", reason: "CompletionsReached", message: "Reached expected number of succeeded pods" };
  // Work-queue Jobs (no completions) succeed once any pod succeeded and the rest have stopped.
  if (completions === null && c.succeeded > 0 && c.activePods.length === 0) return { type: "Complete", interim: "SuccessCriteriaMet", reason: "CompletionsReached", message: "Reached expected number of succeeded pods" };
  return undefined;
}

/** Like Kubernetes 1.31+: the interim condition first, the final one once no pod runs. */
function finish(plan: JobPlan, job: V1Job, c: Counts, ending: Ending): JobPlan {
  plan.deletePods = c.activePods.map((p) => p.name);
  if (finishedType(job)) return plan;
  const { reason, message } = ending;
  if (!hasCondition(job, ending.interim)) plan.conditions.push({ type: ending.interim, reason, message });
  if (c.activePods.length === 0) {
    plan.conditions.push({ type: ending.type, reason, message });
    plan.finished = ending.type;
  }
  return plan;
}

interface ScaleInput {
  c: Counts;
  completions: number | null;
  parallelism: number;
  indexed: boolean;
  now: number;
}

function scale(plan: JobPlan, s: ScaleInput): void {
  const { c } = s;
  let want: number;
  if (s.completions === null) want = c.succeeded > 0 ? c.activePods.length : s.parallelism;
  else want = Math.min(s.parallelism, s.completions - c.succeeded);
  const active = c.activePods.length;
  if (active > want) {
    plan.deletePods = surplus(c.activePods, want);
    return;
  }
  if (active === want) return;
  const readyAt = c.lastFailureAt + podBackoffMs(c.failuresAfterSuccess);
  if (c.failuresAfterSuccess > 0 && s.now < readyAt) {
    plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, readyAt - s.now);
    return;
  }
  if (!s.indexed || s.completions === null) {
    plan.create = want - active;
    return;
  }
  const busy = new Set<number>([...c.succeededIndexes, ...c.activePods.flatMap((p) => (p.index === undefined ? [] : [p.index]))]);
  for (let i = 0; i < s.completions && plan.createIndexes.length < want - active; i++) if (!busy.has(i)) plan.createIndexes.push(i);
  plan.create = plan.createIndexes.length;
}
