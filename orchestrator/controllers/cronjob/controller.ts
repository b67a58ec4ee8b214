// The CronJob controller (after cronjob_controllerv2.go): per reconcile it derives the active
// Jobs from the Jobs it owns, starts the due run (a Job named NAME-<minutes>, so a repeat
// after a crash hits AlreadyExists rather than running twice), applies the concurrency policy,
// trims history and writes status; it requeues itself for the next schedule time.
import type { V1CronJob, V1CronJobStatus, V1Job, V1ObjectReference } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf, isRecord, type Informer, type KubeClient, type Unstructured } from "../../../kube/client/index.js";
import { canonicalJson } from "../shared/hash.js";
import { controllerRefOf, objectKey } from "../shared/ownerRefs.js";
import { finishedType } from "../job/plan.js";
import { millisOf, rfc3339 } from "../job/time.js";
import { recordEvent } from "./events.js";
import { decideCron, jobNameFor, jobsOverHistory, MAX_MISSED } from "./schedule.js";

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

export function startCronJobController(options: CronJobControllerOptions): RunningController {
  const controller = runController({
    clock: options.clock,
    workers: options.workers ?? 1,
    reconcile: (key) => reconcileCronJob(options, key),
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

export async function reconcileCronJob(ctx: CronJobControllerOptions, key: string): Promise<{ requeueAfter?: number }> {
  const cj = ctx.cronJobs.get(key);
  if (!isCronJob(cj) || cj.metadata.deletionTimestamp) return {};
  const now = ctx.clock.now();
  const jobs = ownedJobs(ctx.jobs, cj);
  const active = jobs.filter((j) => !finishedType(j) && !j.metadata?.deletionTimestamp);
  const action = decideCron({ cronJob: cj, activeJobs: active.length, now });
  let lastScheduled = millisOf(cj.status?.lastScheduleTime);
  let started: V1Job | undefined;
  if (action.kind === "start") {
    if (action.tooManyMissed) {
      await recordEvent(ctx, cj, { type: "Warning", reason: "TooManyMissedTimes", message: `too many missed start times (> ${MAX_MISSED}). Set or decrease .spec.startingDeadlineSeconds or check clock skew` });
    }
    if (action.replaceActive) await deleteJobs(ctx, active);
    started = await startJob(ctx, cj, action.scheduled);
    lastScheduled = action.scheduled;
  }
  const running = action.kind === "start" && action.replaceActive ? [] : active;
  await cleanHistory(ctx, cj, jobs);
  await writeStatus(ctx, cj, { active: started ? [...running, started] : running, jobs, lastScheduled });
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

async function startJob(ctx: CronJobControllerOptions, cj: V1CronJob, scheduled: number): Promise<V1Job> {
  const job = jobFor(cj, scheduled);
  try {
    const created: V1Job = await ctx.client.create(job);
    await recordEvent(ctx, cj, { type: "Normal", reason: "SuccessfulCreate", message: `Created job ${job.metadata?.name ?? ""}` });
    return created;
  } catch (err) {
    // Already started before a restart or a lost status write: the run exists, keep it.
    if (apiStatusOf(err)?.code !== 409) throw err;
    return ctx.client.get({ ...JOB_TYPE, namespace: job.metadata?.namespace, name: job.metadata?.name ?? "" });
  }
}

async function deleteJobs(ctx: CronJobControllerOptions, jobs: V1Job[]): Promise<void> {
  for (const j of jobs) {
    try {
      await ctx.client.delete({ ...JOB_TYPE, namespace: j.metadata?.namespace, name: j.metadata?.name ?? "" }, { propagationPolicy: "Background" });
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
  await deleteJobs(ctx, finished.filter((f) => names.has(f.name)).map((f) => f.job));
}

function refOf(job: V1Job): V1ObjectReference {
  return { apiVersion: "batch/v1", kind: "Job", name: job.metadata?.name, namespace: job.metadata?.namespace, uid: job.metadata?.uid, resourceVersion: job.metadata?.resourceVersion };
}

interface StatusInput {
  active: V1Job[];
  jobs: V1Job[];
  lastScheduled?: number;
}

async function writeStatus(ctx: CronJobControllerOptions, cj: V1CronJob, input: StatusInput): Promise<void> {
  const successes = input.jobs.filter((j) => finishedType(j) === "Complete").map((j) => millisOf(j.status?.completionTime) ?? 0);
  const lastSuccess = Math.max(millisOf(cj.status?.lastSuccessfulTime) ?? 0, ...successes);
  const status: V1CronJobStatus = {};
  const active = input.active.map(refOf).map(({ resourceVersion: _rv, ...ref }) => ref).sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
  if (active.length > 0) status.active = active;
  const written: Record<string, unknown> = { ...status };
  if (input.lastScheduled !== undefined) written.lastScheduleTime = rfc3339(input.lastScheduled);
  if (lastSuccess > 0) written.lastSuccessfulTime = rfc3339(lastSuccess);
  const current: Record<string, unknown> = {
    ...(cj.status?.active?.length ? { active: cj.status.active.map(({ resourceVersion: _rv, ...r }) => r) } : {}),
    ...(cj.status?.lastScheduleTime ? { lastScheduleTime: rfc3339(millisOf(cj.status.lastScheduleTime) ?? 0) } : {}),
    ...(cj.status?.lastSuccessfulTime ? { lastSuccessfulTime: rfc3339(millisOf(cj.status.lastSuccessfulTime) ?? 0) } : {}),
  };
  if (canonicalJson(current) === canonicalJson(written)) return;
  await ctx.client.updateStatus({ ...cj, apiVersion: "batch/v1", kind: "CronJob", status: written });
}
