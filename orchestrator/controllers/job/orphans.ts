// Pods that still hold the job-tracking finalizer but that no running Job will count: their Job
// is gone (a background or namespace delete), finished, or no longer their controller (an
// orphaning delete). Their finalizer is removed so they can go, as syncOrphanPod does; without
// this a deleted Job's pods would hang in Terminating for ever.
import type { Informer, KubeClient, Unstructured } from "../../../kube/client/index.js";
import { controllerRefOf } from "../shared/ownerRefs.js";
import { finishedType } from "./plan.js";
import { hasTrackingFinalizer } from "./podState.js";
import { removeFinalizer } from "./sync.js";

export interface OrphanContext {
  client: KubeClient;
  jobs: Informer;
  pods: Informer;
}

/** The key of the Job that counts this pod, or undefined when none will. */
export function countingJobKey(jobs: Informer, pod: Unstructured): string | undefined {
  const ref = controllerRefOf(pod);
  if (ref?.kind !== "Job" || !ref.apiVersion.startsWith("batch/")) return undefined;
  const key = `${pod.metadata.namespace ?? ""}/${ref.name}`;
  const job = jobs.get(key);
  if (!job || job.metadata.uid !== ref.uid || finishedType(job)) return undefined;
  return key;
}

/** True when the pod holds the finalizer and no Job will remove it. */
export function isOrphanTracked(jobs: Informer, pod: Unstructured): boolean {
  const ref = controllerRefOf(pod);
  // A pod controlled by something other than a Job is not ours to touch.
  if (ref && ref.kind !== "Job") return false;
  return hasTrackingFinalizer(pod) && countingJobKey(jobs, pod) === undefined;
}

export async function reconcileOrphanPod(ctx: OrphanContext, key: string): Promise<{ requeueAfter?: number }> {
  const pod = ctx.pods.get(key);
  if (!pod || !isOrphanTracked(ctx.jobs, pod)) return {};
  await removeFinalizer(ctx.client, pod);
  return {};
}
