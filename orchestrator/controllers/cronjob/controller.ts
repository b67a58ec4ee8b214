// The CronJob controller (after cronjob_controllerv2.go): per reconcile it derives the active
// Jobs from the Jobs it owns, starts the due run (a Job named NAME-<minutes>, so a repeat
// after a crash hits AlreadyExists rather than running twice), applies the concurrency policy,
// trims history and writes status; it requeues itself for the next schedule time.
import type { V1CronJob, V1Job, V1ObjectReference } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf, isRecord, type Informer, type KubeClient, type Unstructured } from "../../../kube/client/index.js";
import { canonicalJson } from "../shared/hash.js";
import { controllerRefOf, objectKey } from "../shared/ownerRefs.js";
import { finishedType } from "../job/plan.js";
import { millisOf, rfc3339 } from "../job/time.js";
import { recordEvent } from "./events.js";
import { refOf, trackActive } from "./active.js";
import { decideCron, jobNameFor, jobsOverHistory, MAX_MISSED, scheduleProblem, splitTimeZone } from "./schedule.js";

export interface CronJobControllerOptions {
  client: KubeClient;
  clock: Clock;
  cronJobs: Informer;
  jobs: Informer;
  workers?: number;
  onError?: (message: string) => void;
}

const JOB_TYPE = { apiVersion: "batch/v1", kind: "Job" };
const SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

interface ReconcileContext extends CronJobControllerOptions {
  /** Uids of unexpected Jobs already reported, so a long manual run warns once, not every sync. */
  reported: Set<string>;
}

export function startCronJobController(options: CronJobControllerOptions): RunningController {
  const ctx: ReconcileContext = { ...options, reported: new Set() };
  const controller = runController({
    clock: options.clock,
    workers: options.workers ?? 1,
    reconcile: (key) => reconcileCronJob(ctx, key),
    onError: (f) => options.onError?.(`cronjob ${f.key}: ${String(f.error)}`),
  });
  const enqueue = (key: string) => controller.queue.add(key);
  options.cronJobs.addHandlers({ add: (c) => enqueue(objectKey(c)), update: (_o, c) => enqueue(objectKey(c)) });
  const owner = (job: V1Job): void => {
    const ref = controllerRefOf(job);
    if (ref?.kind === "CronJob") enqueue(`${job.metadata?.namespace ?? ""}/${ref.name}`);
  };
  options.jobs.addHandlers({ add: owner, update: (_o, j) => owner(j), delete: owner });
  return controller;
}

function ownedJobs(jobs: Informer, cj: V1CronJob): V1Job[] {
  const out: V1Job[] = [];
  for (const j of jobs.list()) if (j.metadata.namespace === cj.metadata?.namespace && controllerRefOf(j)?.uid === cj.metadata?.uid) out.push(j);
  return out;
}

/** The API server validated the CronJob; this guards the two fields the controller cannot do without. */
export function isCronJob(obj: Unstructured | undefined): obj is Unstructured & V1CronJob {
  const spec = obj?.spec;
  return obj?.kind === "CronJob" && isRecord(spec) && typeof spec.schedule === "string" && isRecord(spec.jobTemplate);
}

/** RFC 1123 with a numeric zone, as Go's time.RFC1123Z prints UTC. */
function rfc1123z(ms: number): string {
  return new Date(ms).toUTCString().replace("GMT", "+0000");
}

export async function reconcileCronJob(ctx: ReconcileContext, key: string): Promise<{ requeueAfter?: number }> {
  const cached = ctx.cronJobs.get(key);
  if (!isCronJob(cached)) return {};
  const now = ctx.clock.now();
  const jobs = ownedJobs(ctx.jobs, cached);
  const cj = await freshIfStale(ctx.client, cached, jobs);
  const tracked = await trackActive(ctx.client, cj, jobs);
  for (const e of tracked.events) await recordEvent(ctx, cj, e);
  for (const j of tracked.unexpected) {
    if (ctx.reported.has(j.metadata?.uid ?? "")) continue;
    ctx.reported.add(j.metadata?.uid ?? "");
    await recordEvent(ctx, cj, { type: "Warning", reason: "UnexpectedJob", message: `Saw a job that the controller did not create or forgot: ${j.metadata?.name ?? ""}` });
  }
  const state: StatusInput = { active: tracked.active, lastSuccessful: tracked.lastSuccessful, lastScheduled: millisOf(cj.status?.lastScheduleTime) };
  const result = cj.metadata.deletionTimestamp ? {} : await schedule(ctx, cj, state, now);
  await cleanHistory(ctx, cj, jobs);
  await writeStatus(ctx, cj, state);
  return result;
}

/**
 * The cached CronJob may not show yet the Job the last sync started and wrote into
 * status.active: an unfinished Job of ours missing from the list is read against the live
 * CronJob first (cronjob_controllerv2.go does the same), or Forbid would start a second run.
 */
async function freshIfStale(client: KubeClient, cj: Unstructured & V1CronJob, jobs: V1Job[]): Promise<Unstructured & V1CronJob> {
  const listed = new Set((cj.status?.active ?? []).map((r) => r.uid));
  if (!jobs.some((j) => !finishedType(j) && !listed.has(j.metadata?.uid))) return cj;
  const live = await client.tryGet({ apiVersion: "batch/v1", kind: "CronJob", namespace: cj.metadata.namespace, name: cj.metadata.name ?? "" });
  return isCronJob(live) && live.metadata.uid === cj.metadata.uid ? live : cj;
}

/** Starts the due run if the schedule, deadline and concurrency policy allow; updates `state`. */
async function schedule(ctx: ReconcileContext, cj: V1CronJob, state: StatusInput, now: number): Promise<{ requeueAfter?: number }> {
  const spec = cj.spec;
  const problem = scheduleProblem(spec?.schedule ?? "", spec?.timeZone);
  if (problem) {
    // A user error: wait for the spec to change (its update requeues), do not retry.
    await recordEvent(ctx, cj, { type: "Warning", ...problem });
    return {};
  }
  if (splitTimeZone(spec?.schedule ?? "").inline) {
    await recordEvent(ctx, cj, { type: "Warning", reason: "UnsupportedSchedule", message: `CRON_TZ or TZ used in schedule "${spec?.schedule ?? ""}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details` });
  }
  const action = decideCron({ cronJob: cj, activeJobs: state.active.length, now });
  if (action.kind === "missedDeadline") {
    await recordEvent(ctx, cj, { type: "Warning", reason: "MissSchedule", message: `Missed scheduled time to start a job: ${rfc1123z(action.scheduled)}` });
  } else if (action.kind === "forbidden") {
    await recordEvent(ctx, cj, { type: "Normal", reason: "JobAlreadyActive", message: "Not starting job because prior execution is running and concurrency policy is Forbid" });
  } else if (action.kind === "start") {
    if (action.missed > MAX_MISSED) {
      await recordEvent(ctx, cj, { type: "Warning", reason: "TooManyMissedTimes", message: `too many missed start times: ${action.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew` });
    }
    if (action.replaceActive) {
      await deleteJobs(ctx, cj, state.active.map((r) => ({ metadata: { name: r.name, namespace: r.namespace } })));
      state.active = [];
    }
    const started = await startJob(ctx, cj, action.scheduled);
    if (started && !state.active.some((r) => r.uid === started.metadata?.uid)) state.active = [...state.active, refOf(started)];
    state.lastScheduled = action.scheduled;
  }
  return { requeueAfter: action.requeueAfterMs };
}

function jobFor(cj: V1CronJob, scheduled: number): V1Job {
  const template = cj.spec?.jobTemplate;
  const name = cj.metadata?.name ?? "";
  return {
    ...JOB_TYPE,
    metadata: {
      name: jobNameFor(name, scheduled),
      namespace: cj.metadata?.namespace,
      labels: { ...(template?.metadata?.labels ?? {}) },
      annotations: { ...(template?.metadata?.annotations ?? {}), [SCHEDULED_ANNOTATION]: rfc3339(scheduled) },
      ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name, uid: cj.metadata?.uid ?? "", controller: true, blockOwnerDeletion: true }],
    },
    spec: template?.spec,
  };
}

async function startJob(ctx: CronJobControllerOptions, cj: V1CronJob, scheduled: number): Promise<V1Job | undefined> {
  const job = jobFor(cj, scheduled);
  try {
    const created: V1Job = await ctx.client.create(job);
    await recordEvent(ctx, cj, { type: "Normal", reason: "SuccessfulCreate", message: `Created job ${job.metadata?.name ?? ""}` });
    return created;
  } catch (err) {
    if (apiStatusOf(err)?.code !== 409) {
      await recordEvent(ctx, cj, { type: "Warning", reason: "FailedCreate", message: `Error creating job: ${String(err)}` });
      throw err;
    }
    // Started before a restart or a lost status write: the run exists, keep it, if it is ours.
    const existing: V1Job = await ctx.client.get({ ...JOB_TYPE, namespace: job.metadata?.namespace, name: job.metadata?.name ?? "" });
    return controllerRefOf(existing)?.uid === cj.metadata?.uid ? existing : undefined;
  }
}

async function deleteJobs(ctx: CronJobControllerOptions, cj: V1CronJob, jobs: V1Job[]): Promise<void> {
  for (const j of jobs) {
    try {
      await ctx.client.delete({ ...JOB_TYPE, namespace: j.metadata?.namespace, name: j.metadata?.name ?? "" }, { propagationPolicy: "Background" });
      await recordEvent(ctx, cj, { type: "Normal", reason: "SuccessfulDelete", message: `Deleted job ${j.metadata?.name ?? ""}` });
    } catch (err) {
      if (apiStatusOf(err)?.code !== 404) throw err;
    }
  }
}

async function cleanHistory(ctx: CronJobControllerOptions, cj: V1CronJob, jobs: V1Job[]): Promise<void> {
  const finished = jobs.flatMap((j) => {
    const type = finishedType(j);
    if (!type || j.metadata?.deletionTimestamp) return [];
    const startedAt = millisOf(j.status?.startTime) ?? millisOf(j.metadata?.creationTimestamp) ?? 0;
    return [{ name: j.metadata?.name ?? "", succeeded: type === "Complete", startedAt, job: j }];
  });
  const names = new Set(jobsOverHistory(finished, { successful: cj.spec?.successfulJobsHistoryLimit ?? 3, failed: cj.spec?.failedJobsHistoryLimit ?? 1 }));
  await deleteJobs(ctx, cj, finished.filter((f) => names.has(f.name)).map((f) => f.job));
}

interface StatusInput {
  active: V1ObjectReference[];
  lastScheduled?: number;
  lastSuccessful?: number;
}

async function writeStatus(ctx: CronJobControllerOptions, cj: V1CronJob, input: StatusInput): Promise<void> {
  const written: Record<string, unknown> = {};
  const active = input.active.map(({ resourceVersion: _rv, ...ref }) => ref).sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
  if (active.length > 0) written.active = active;
  if (input.lastScheduled !== undefined) written.lastScheduleTime = rfc3339(input.lastScheduled);
  if (input.lastSuccessful !== undefined && input.lastSuccessful > 0) written.lastSuccessfulTime = rfc3339(input.lastSuccessful);
  const current: Record<string, unknown> = {
    ...(cj.status?.active?.length ? { active: cj.status.active.map(({ resourceVersion: _rv, ...r }) => r).sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "")) } : {}),
    ...(cj.status?.lastScheduleTime ? { lastScheduleTime: rfc3339(millisOf(cj.status.lastScheduleTime) ?? 0) } : {}),
    ...(cj.status?.lastSuccessfulTime ? { lastSuccessfulTime: rfc3339(millisOf(cj.status.lastSuccessfulTime) ?? 0) } : {}),
  };
  if (canonicalJson(current) === canonicalJson(written)) return;
  await ctx.client.updateStatus({ ...cj, apiVersion: "batch/v1", kind: "CronJob", status: written });
}
