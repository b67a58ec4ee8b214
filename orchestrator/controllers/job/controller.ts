// The Job controller: carries out planJob for one Job per reconcile (create / delete pods,
// write status), and deletes finished Jobs once their ttlSecondsAfterFinished passed (the
// ttl-after-finished controller's job, folded in). Pods are found through the pod informer by
// their controller ownerReference; expectations keep a lagging informer from causing
// duplicate creates.
import type { V1Job, V1JobCondition, V1JobStatus, V1Pod } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf, type Informer, type KubeClient, type Unstructured } from "../../../kube/client/index.js";
import { Expectations } from "../shared/expectations.js";
import { canonicalJson } from "../shared/hash.js";
import { controllerRefOf, objectKey, splitKey } from "../shared/ownerRefs.js";
import { finishedType, planJob, type JobCondition, type JobPlan } from "./plan.js";
import { jobPod } from "./pods.js";
import { millisOf, rfc3339 } from "./time.js";

export interface JobControllerOptions {
  client: KubeClient;
  clock: Clock;
  jobs: Informer;
  pods: Informer;
  workers?: number;
  onError?: (message: string) => void;
}

const JOB_TYPE = { apiVersion: "batch/v1", kind: "Job" };
const POD_TYPE = { apiVersion: "v1", kind: "Pod" };

export function startJobController(options: JobControllerOptions): RunningController {
  const expectations = new Expectations({ clock: options.clock });
  const controller = runController({
    clock: options.clock,
    workers: options.workers ?? 2,
    reconcile: (key) => reconcileJob({ ...options, expectations }, key),
    onError: (f) => options.onError?.(`job ${f.key}: ${String(f.error)}`),
  });
  const enqueue = (key: string) => controller.queue.add(key);
  options.jobs.addHandlers({ add: (j) => enqueue(objectKey(j)), update: (_o, j) => enqueue(objectKey(j)), delete: (j) => expectations.forget(objectKey(j)) });
  const ownerKey = (pod: Unstructured): string | undefined => {
    const ref = controllerRefOf(pod);
    return ref?.kind === "Job" ? `${pod.metadata.namespace ?? ""}/${ref.name}` : undefined;
  };
  options.pods.addHandlers({
    add: (p) => {
      const key = ownerKey(p);
      if (key === undefined) return;
      expectations.creationObserved(key);
      enqueue(key);
    },
    update: (_o, p) => {
      const key = ownerKey(p);
      if (key !== undefined) enqueue(key);
    },
    delete: (p) => {
      const key = ownerKey(p);
      if (key === undefined) return;
      expectations.deletionObserved(key, p.metadata.name ?? "");
      enqueue(key);
    },
  });
  return controller;
}

interface ReconcileContext extends JobControllerOptions {
  expectations: Expectations;
}

function podsOf(pods: Informer, job: V1Job): V1Pod[] {
  const uid = job.metadata?.uid;
  const ns = job.metadata?.namespace;
  const out: V1Pod[] = [];
  for (const p of pods.list()) if (p.metadata.namespace === ns && controllerRefOf(p)?.uid === uid) out.push(p);
  return out;
}

export async function reconcileJob(ctx: ReconcileContext, key: string): Promise<{ requeueAfter?: number }> {
  const job: V1Job | undefined = ctx.jobs.get(key);
  if (!job) return {};
  const now = ctx.clock.now();
  const finished = finishedType(job);
  if (finished) {
    await deleteRemaining(ctx, job, key);
    return expireFinished(ctx, job, now);
  }
  if (!ctx.expectations.satisfied(key)) return {};
  const pods = podsOf(ctx.pods, job);
  const withStart = withStartTime(job, now);
  const plan = planJob({ job: withStart, pods, now });
  await carryOut(ctx, { job: withStart, plan, key });
  await writeStatus(ctx, job, statusFor(withStart, plan, now));
  if (plan.finished) return expireFinished(ctx, { ...job, status: statusFor(withStart, plan, now) }, now);
  return plan.requeueAfterMs === undefined ? {} : { requeueAfter: plan.requeueAfterMs };
}

/** A Job starts its clock when it first runs unsuspended; a suspended Job has no startTime. */
function withStartTime(job: V1Job, now: number): V1Job {
  const status = { ...(job.status ?? {}) };
  if (job.spec?.suspend === true) delete status.startTime;
  else if (status.startTime === undefined) status.startTime = new Date(Math.floor(now / 1000) * 1000);
  return { ...job, status };
}

async function deleteRemaining(ctx: ReconcileContext, job: V1Job, key: string): Promise<void> {
  const active = podsOf(ctx.pods, job).filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed" && !p.metadata?.deletionTimestamp);
  await deletePods(ctx, key, active.map((p) => p.metadata?.name ?? ""), job.metadata?.namespace);
}

async function deletePods(ctx: ReconcileContext, key: string, names: string[], namespace: string | undefined): Promise<void> {
  if (names.length === 0) return;
  ctx.expectations.expect(key, { deletes: names });
  for (const name of names) {
    try {
      await ctx.client.delete({ ...POD_TYPE, namespace, name });
    } catch (err) {
      ctx.expectations.deletionObserved(key, name);
      if (apiStatusOf(err)?.code !== 404) throw err;
    }
  }
}

async function carryOut(ctx: ReconcileContext, input: { job: V1Job; plan: JobPlan; key: string }): Promise<void> {
  const { job, plan, key } = input;
  await deletePods(ctx, key, plan.deletePods, job.metadata?.namespace);
  const indexed = job.spec?.completionMode === "Indexed";
  const toCreate: (number | undefined)[] = indexed ? plan.createIndexes : Array.from({ length: plan.create }, () => undefined);
  if (toCreate.length === 0) return;
  ctx.expectations.expect(key, { adds: toCreate.length });
  for (const index of toCreate) {
    try {
      await ctx.client.create(jobPod(job, index));
    } catch (err) {
      ctx.expectations.creationObserved(key);
      throw err;
    }
  }
}

function condition(c: JobCondition, now: number): V1JobCondition {
  const at = new Date(Math.floor(now / 1000) * 1000);
  return { type: c.type, status: "True", reason: c.reason, message: c.message, lastProbeTime: at, lastTransitionTime: at };
}

function statusFor(job: V1Job, plan: JobPlan, now: number): V1JobStatus {
  const status: V1JobStatus = {
    ...(job.status ?? {}),
    active: plan.active,
    ready: plan.ready,
    succeeded: plan.succeeded,
    failed: plan.failed,
    terminating: 0,
  };
  if (plan.completedIndexes !== undefined) status.completedIndexes = plan.completedIndexes;
  const kept = (job.status?.conditions ?? []).filter((c) => !plan.conditions.some((n) => n.type === c.type));
  const added = plan.conditions.map((c) => condition(c, now));
  if (kept.length + added.length > 0) status.conditions = [...kept, ...added];
  if (plan.finished === "Complete") status.completionTime = new Date(Math.floor(now / 1000) * 1000);
  return status;
}

/** Comparable JSON: sorted keys, Dates and their strings written the same way. */
function normal(value: unknown): string {
  const json = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v)) return rfc3339(millisOf(v) ?? 0);
    return v;
  });
  const parsed: unknown = JSON.parse(json);
  return canonicalJson(parsed);
}

async function writeStatus(ctx: ReconcileContext, job: V1Job, status: V1JobStatus): Promise<void> {
  if (normal(job.status ?? {}) === normal(status)) return;
  // A stale resourceVersion makes this a 409, which the queue retries against fresh state.
  const written: unknown = JSON.parse(normal(status));
  await ctx.client.updateStatus({ ...job, ...JOB_TYPE, status: written });
}

async function expireFinished(ctx: ReconcileContext, job: V1Job, now: number): Promise<{ requeueAfter?: number }> {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata?.deletionTimestamp) return {};
  const finishedAt = finishTime(job);
  if (finishedAt === undefined) return {};
  const expiry = finishedAt + ttl * 1000;
  if (expiry > now) return { requeueAfter: expiry - now };
  const { namespace, name } = splitKey(objectKey(job));
  try {
    await ctx.client.delete({ ...JOB_TYPE, namespace, name: name }, { propagationPolicy: "Background" });
  } catch (err) {
    if (apiStatusOf(err)?.code !== 404) throw err;
  }
  return {};
}

function finishTime(job: V1Job): number | undefined {
  const cond = (job.status?.conditions ?? []).find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
  return millisOf(job.status?.completionTime) ?? millisOf(cond?.lastTransitionTime);
}
