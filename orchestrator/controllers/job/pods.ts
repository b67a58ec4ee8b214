// The pod a Job starts: its template with a controller ownerReference and the job-tracking
// finalizer (so the Job counts the pod before it can go), and for Indexed Jobs the completion
// index as annotation, label, JOB_COMPLETION_INDEX env var (read from the label) and hostname
// NAME-INDEX, like Kubernetes does (pkg/controller/job/indexed_job_utils.go).
import type { V1Container, V1Job, V1Pod } from "@kubernetes/client-node";
import { COMPLETION_INDEX_ANNOTATION } from "./indexes.js";
import type { PodToCreate } from "./manage.js";
import { TRACKING_FINALIZER } from "./podState.js";

export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
const INDEX_ENV = "JOB_COMPLETION_INDEX";
/** Longest generateName base before the API server's 5 random characters (names stay <= 63). */
const MAX_GENERATED_BASE = 58;

function withIndexEnv(containers: V1Container[]): V1Container[] {
  return containers.map((c) => {
    if ((c.env ?? []).some((e) => e.name === INDEX_ENV)) return c;
    const valueFrom = { fieldRef: { apiVersion: "v1", fieldPath: `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']` } };
    return { ...c, env: [...(c.env ?? []), { name: INDEX_ENV, valueFrom }] };
  });
}

/** NAME-INDEX- shortened so the generated name fits, as podGenerateNameWithIndex does. */
export function generateNameFor(job: string, index?: number): string {
  const suffix = index === undefined ? "-" : `-${index}-`;
  return `${job.slice(0, Math.max(0, MAX_GENERATED_BASE - suffix.length))}${suffix}`;
}

export function jobPod(job: V1Job, create: PodToCreate = {}): V1Pod {
  const name = job.metadata?.name ?? "";
  const template = job.spec?.template;
  const labels: Record<string, string> = { ...(template?.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = { ...(template?.metadata?.annotations ?? {}), ...(create.annotations ?? {}) };
  const spec = { ...(template?.spec ?? { containers: [] }) };
  const finalizers = [...(template?.metadata?.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER), TRACKING_FINALIZER];
  const { index } = create;
  if (index !== undefined) {
    annotations[COMPLETION_INDEX_ANNOTATION] = String(index);
    labels[COMPLETION_INDEX_ANNOTATION] = String(index);
    spec.containers = withIndexEnv(spec.containers);
    if (spec.initContainers) spec.initContainers = withIndexEnv(spec.initContainers);
    spec.hostname = `${name}-${index}`;
  }
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: generateNameFor(name, index),
      namespace: job.metadata?.namespace,
      labels,
      annotations,
      finalizers,
      ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name, uid: job.metadata?.uid ?? "", controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}
