// The pod a Job starts: its template with the Job's labels, a controller ownerReference, and
// for Indexed Jobs the completion index as annotation, label, env var and hostname, like
// Kubernetes does (pkg/controller/job/indexed_job_utils.go).
import type { V1Container, V1Job, V1Pod } from "@kubernetes/client-node";
import { COMPLETION_INDEX_ANNOTATION } from "./plan.js";

export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

function withIndexEnv(containers: V1Container[], index: number): V1Container[] {
  return containers.map((c) => ({
    ...c,
    env: [...(c.env ?? []).filter((e) => e.name !== "JOB_COMPLETION_INDEX"), { name: "JOB_COMPLETION_INDEX", value: String(index) }],
  }));
}

export function jobPod(job: V1Job, index?: number): V1Pod {
  const name = job.metadata?.name ?? "";
  const template = job.spec?.template;
  const labels: Record<string, string> = { ...(template?.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = { ...(template?.metadata?.annotations ?? {}) };
  const spec = { ...(template?.spec ?? { containers: [] }) };
  if (index !== undefined) {
    annotations[COMPLETION_INDEX_ANNOTATION] = String(index);
    labels[COMPLETION_INDEX_ANNOTATION] = String(index);
    spec.containers = withIndexEnv(spec.containers, index);
    spec.initContainers = spec.initContainers && withIndexEnv(spec.initContainers, index);
    spec.hostname = spec.hostname ?? `${name}-${index}`;
  }
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata?.namespace,
      labels,
      annotations,
      ownerReferences: [
        { apiVersion: "batch/v1", kind: "Job", name, uid: job.metadata?.uid ?? "", controller: true, blockOwnerDeletion: true },
      ],
    },
    spec,
  };
}
