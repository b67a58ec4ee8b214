// One Job sync, carried out in Kubernetes' order: delete and create pods as planned, write the
// status holding newly finished pods in uncountedTerminatedPods (and the interim condition),
// remove those pods' finalizers, then write the counters and, when nothing is left uncounted
// or terminating, the terminal condition. A crash between steps repeats a step, never skips
// one: a pod loses its finalizer only after the status naming it was stored.
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import { apiStatusOf, type Informer, type KubeClient } from "../../../kube/client/index.js";
import { recordEvent } from "../cronjob/events.js";
import type { Expectations } from "../shared/expectations.js";
import { planJob, type JobEvent, type JobPlan } from "./plan.js";
import { jobPod } from "./pods.js";
import { TRACKING_FINALIZER } from "./podState.js";
import { countRemoved, enactFinish, statusKey, wireStatusOf, type WireJobStatus } from "./status.js";
import type { FinalizerExpectations, WrittenVersions } from "./tracking.js";

export const JOB_TYPE = { apiVersion: "batch/v1", kind: "Job" };
const POD_TYPE = { apiVersion: "v1", kind: "Pod" };

export interface SyncContext {
  client: KubeClient;
  clock: Clock;
  jobs: Informer;
  expectations: Expectations;
  finalizers: FinalizerExpectations;
  written: WrittenVersions;
  onError?: (message: string) => void;
}

const uidOf = (p: V1Pod): string => p.metadata?.uid ?? "";
const nameOf = (p: V1Pod): string => p.metadata?.name ?? "";

function event(ctx: SyncContext, job: V1Job, e: JobEvent): void {
  // Best effort and not awaited: an event never slows or fails the sync that produced it.
  void recordEvent(ctx, { ...JOB_TYPE, metadata: job.metadata }, e);
}

export async function removeFinalizer(client: KubeClient, pod: V1Pod): Promise<void> {
  const patch = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [TRACKING_FINALIZER] } };
  try {
    await client.patch({ ...POD_TYPE, namespace: pod.metadata?.namespace, name: nameOf(pod) }, patch, { type: "strategic" });
  } catch (err) {
    if (apiStatusOf(err)?.code !== 404) throw err;
  }
}

async function deletePod(ctx: SyncContext, key: string, pod: V1Pod): Promise<void> {
  try {
    await ctx.client.delete({ ...POD_TYPE, namespace: pod.metadata?.namespace, name: nameOf(pod) });
  } catch (err) {
    ctx.expectations.deletionObserved(key, nameOf(pod));
    if (apiStatusOf(err)?.code !== 404) throw err;
  }
}

async function deletePods(ctx: SyncContext, job: V1Job, key: string, plan: JobPlan): Promise<void> {
  const all = [...plan.deleteFinishing, ...plan.deleteUntracked];
  if (all.length === 0) return;
  ctx.expectations.expect(key, { deletes: all.map(nameOf) });
  // Pods the Job stops tracking are not failures: their finalizer goes before the delete.
  ctx.finalizers.expectRemoval(key, plan.deleteUntracked.map(uidOf));
  for (const pod of plan.deleteUntracked) {
    try {
      await removeFinalizer(ctx.client, pod);
    } catch (err) {
      ctx.finalizers.observed(key, uidOf(pod));
      throw err;
    }
  }
  for (const pod of all) {
    await deletePod(ctx, key, pod);
    event(ctx, job, { type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${nameOf(pod)}` });
  }
}

async function createPods(ctx: SyncContext, job: V1Job, key: string, plan: JobPlan): Promise<void> {
  if (plan.create.length === 0) return;
  ctx.expectations.expect(key, { adds: plan.create.length });
  let failed: unknown;
  // Slow start (1, 2, 4, …) like Kubernetes: a failing create costs one request, not hundreds.
  for (let done = 0, batch = 1; done < plan.create.length && failed === undefined; done += batch, batch *= 2) {
    const chunk = plan.create.slice(done, done + batch);
    const results = await Promise.allSettled(chunk.map((c) => ctx.client.create(jobPod(job, c))));
    for (const r of results) {
      if (r.status === "fulfilled") event(ctx, job, { type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${r.value.metadata.name ?? ""}` });
      else {
        ctx.expectations.creationObserved(key);
        failed ??= r.reason;
      }
    }
    if (failed !== undefined) for (let i = done + chunk.length; i < plan.create.length; i++) ctx.expectations.creationObserved(key);
  }
  if (failed !== undefined) throw failed;
}

async function writeStatus(ctx: SyncContext, key: string, job: V1Job, status: WireJobStatus): Promise<V1Job> {
  if (statusKey(wireStatusOf(job)) === statusKey(status)) return job;
  // The resourceVersion makes a stale write a 409, which the queue retries against fresh state.
  const written: V1Job = await ctx.client.updateStatus({ ...job, ...JOB_TYPE, status: JSON.parse(JSON.stringify(status)) as unknown });
  ctx.written.wrote(key, written);
  return written;
}

async function removeFinalizers(ctx: SyncContext, key: string, pods: V1Pod[]): Promise<{ removed: Set<string>; error?: unknown }> {
  const removed = new Set<string>();
  ctx.finalizers.expectRemoval(key, pods.map(uidOf));
  const results = await Promise.allSettled(pods.map((p) => removeFinalizer(ctx.client, p)));
  let error: unknown;
  results.forEach((r, i) => {
    if (r.status === "fulfilled") removed.add(uidOf(pods[i]));
    else {
      ctx.finalizers.observed(key, uidOf(pods[i]));
      error ??= r.reason;
    }
  });
  return { removed, error };
}

export async function syncJob(ctx: SyncContext, input: { key: string; job: V1Job; pods: V1Pod[] }): Promise<{ requeueAfter?: number }> {
  const { key, job, pods } = input;
  const now = ctx.clock.now();
  const plan = planJob({ job, pods, now, removingFinalizers: ctx.finalizers.pending(key) });
  await deletePods(ctx, job, key, plan);
  await createPods(ctx, job, key, plan);
  for (const e of plan.events) event(ctx, job, e);
  let current = await writeStatus(ctx, key, job, plan.status);
  const { removed, error } = await removeFinalizers(ctx, key, plan.removeFinalizers);
  const status = JSON.parse(JSON.stringify(plan.status)) as WireJobStatus;
  countRemoved(status, new Set([...plan.tracked].filter((uid) => !removed.has(uid))));
  const finished = error === undefined && enactFinish(status, plan.finish, now);
  current = await writeStatus(ctx, key, current, status);
  if (error !== undefined) throw error;
  if (finished && plan.finish) {
    const f = plan.finish;
    event(ctx, current, f.type === "Complete" ? { type: "Normal", reason: "Completed", message: "Job completed" } : { type: "Warning", reason: f.reason, message: f.message });
  }
  return plan.requeueAfterMs === undefined ? {} : { requeueAfter: plan.requeueAfterMs };
}
