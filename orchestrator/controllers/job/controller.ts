// The Job controller: wires the job and pod informers to a work queue of Jobs (syncJob does
// the work) and a second queue of orphaned pods whose tracking finalizer must go. Finished
// Jobs are deleted once their ttlSecondsAfterFinished passed (the ttl-after-finished
// controller's job, folded in). Pods are found through an index on their controller's uid;
// expectations keep a lagging informer from causing duplicate creates or double counting.
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf, type Informer, type KubeClient, type Unstructured } from "../../../kube/client/index.js";
import { Expectations } from "../shared/expectations.js";
import { controllerRefOf, objectKey, splitKey } from "../shared/ownerRefs.js";
import { countingJobKey, isOrphanTracked, reconcileOrphanPod } from "./orphans.js";
import { finishedType } from "./plan.js";
import { hasTrackingFinalizer } from "./podState.js";
import { JOB_TYPE, syncJob, type SyncContext } from "./sync.js";
import { millisOf } from "./time.js";
import { FinalizerExpectations, WrittenVersions } from "./tracking.js";

export interface JobControllerOptions {
  client: KubeClient;
  clock: Clock;
  jobs: Informer;
  pods: Informer;
  workers?: number;
  onError?: (message: string) => void;
}

const BY_JOB = "job-controller-uid";
/** spec.managedBy naming another controller hands the Job to it. */
const MANAGED_BY_US = "kubernetes.io/job-controller";

interface ReconcileContext extends SyncContext {
  pods: Informer;
}

export function startJobController(options: JobControllerOptions): RunningController {
  const ctx: ReconcileContext = {
    ...options,
    expectations: new Expectations({ clock: options.clock }),
    finalizers: new FinalizerExpectations(options.clock),
    written: new WrittenVersions(options.clock),
  };
  options.pods.addIndex(BY_JOB, (p) => {
    const ref = controllerRefOf(p);
    return ref?.kind === "Job" ? [ref.uid] : [];
  });
  const report = (what: string) => (f: { key: string; error: unknown }) => options.onError?.(`${what} ${f.key}: ${String(f.error)}`);
  const jobs = runController({ clock: options.clock, workers: options.workers ?? 2, reconcile: (key) => reconcileJob(ctx, key), onError: report("job") });
  const orphans = runController({ clock: options.clock, workers: 1, reconcile: (key) => reconcileOrphanPod(ctx, key), onError: report("orphan pod") });
  const orphanCheck = (pod: Unstructured): void => {
    if (isOrphanTracked(options.jobs, pod)) orphans.queue.add(objectKey(pod));
  };
  // A deleted or finished Job's pods that still hold the finalizer become orphans to clean.
  const releasePods = (job: Unstructured): void => {
    for (const p of options.pods.byIndex(BY_JOB, job.metadata.uid ?? "")) if (hasTrackingFinalizer(p)) orphans.queue.add(objectKey(p));
  };
  options.jobs.addHandlers({
    add: (j) => jobs.queue.add(objectKey(j)),
    update: (_o, j) => {
      jobs.queue.add(objectKey(j));
      if (finishedType(j)) releasePods(j);
    },
    delete: (j) => {
      ctx.expectations.forget(objectKey(j));
      ctx.finalizers.forget(objectKey(j));
      ctx.written.forget(objectKey(j));
      releasePods(j);
    },
  });
  options.pods.addHandlers(podHandlers(ctx, (key) => jobs.queue.add(key), orphanCheck));
  return {
    queue: jobs.queue,
    async stop() {
      await Promise.all([jobs.stop(), orphans.stop()]);
    },
  };
}

function podHandlers(ctx: ReconcileContext, enqueue: (key: string) => void, orphanCheck: (pod: Unstructured) => void) {
  const observe = (pod: Unstructured, gone: boolean): string | undefined => {
    const key = countingJobKey(ctx.jobs, pod);
    if (key === undefined) return undefined;
    if (gone || !hasTrackingFinalizer(pod)) ctx.finalizers.observed(key, pod.metadata.uid ?? "");
    return key;
  };
  return {
    add: (p: Unstructured) => {
      const key = observe(p, false);
      if (key !== undefined) {
        ctx.expectations.creationObserved(key);
        enqueue(key);
      } else orphanCheck(p);
    },
    update: (_o: Unstructured, p: Unstructured) => {
      const key = observe(p, false);
      if (key === undefined) {
        orphanCheck(p);
        return;
      }
      // A deletionTimestamp is the delete this controller waits for: the finalizer may hold
      // the pod (and its kubelet may take a grace period) long after.
      if (p.metadata.deletionTimestamp) ctx.expectations.deletionObserved(key, p.metadata.name ?? "");
      enqueue(key);
    },
    delete: (p: Unstructured) => {
      const key = observe(p, true);
      if (key === undefined) return;
      ctx.expectations.deletionObserved(key, p.metadata.name ?? "");
      enqueue(key);
    },
  };
}

function podsOf(ctx: ReconcileContext, job: V1Job): V1Pod[] {
  const ns = job.metadata?.namespace;
  return ctx.pods.byIndex(BY_JOB, job.metadata?.uid ?? "").filter((p) => p.metadata.namespace === ns);
}

export async function reconcileJob(ctx: ReconcileContext, key: string): Promise<{ requeueAfter?: number }> {
  const job: V1Job | undefined = ctx.jobs.get(key);
  if (!job) return {};
  const managedBy = job.spec?.managedBy;
  if (managedBy !== undefined && managedBy !== MANAGED_BY_US) return {};
  if (finishedType(job)) return expireFinished(ctx, job);
  if (job.spec?.completionMode !== undefined && job.spec.completionMode !== "NonIndexed" && job.spec.completionMode !== "Indexed") return {};
  // Wait for the informers to show what this controller did last; their events requeue the Job.
  if (!ctx.expectations.satisfied(key) || !ctx.written.caughtUp(key, job)) return {};
  return syncJob(ctx, { key, job, pods: podsOf(ctx, job) });
}

function finishTime(job: V1Job): number | undefined {
  const cond = (job.status?.conditions ?? []).find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
  return millisOf(job.status?.completionTime) ?? millisOf(cond?.lastTransitionTime);
}

async function expireFinished(ctx: ReconcileContext, job: V1Job): Promise<{ requeueAfter?: number }> {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return {};
  const finishedAt = finishTime(job);
  if (finishedAt === undefined) return {};
  const now = ctx.clock.now();
  const expiry = finishedAt + ttl * 1000;
  if (expiry > now) return { requeueAfter: expiry - now };
  const { namespace, name } = splitKey(objectKey(job));
  try {
    // The TTL controller deletes in the foreground: the Job goes after its pods.
    await ctx.client.delete({ ...JOB_TYPE, namespace, name }, { propagationPolicy: "Foreground" });
  } catch (err) {
    if (apiStatusOf(err)?.code !== 404) throw err;
  }
  return {};
}
