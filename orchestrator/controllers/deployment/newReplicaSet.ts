// Finding and building a Deployment's ReplicaSets (deployment/sync.go getNewReplicaSet): the new
// one has the Deployment's template (ignoring the pod-template-hash label); all others are old.
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { computeHash, POD_TEMPLATE_HASH, templatesEqualIgnoringHash, withoutHashLabel } from "../shared/hash.js";
import { newControllerRef } from "../shared/ownerRefs.js";
import { byCreation } from "./rolling.js";

export function deploymentRef(deployment: V1Deployment): ReturnType<typeof newControllerRef> {
  return newControllerRef({ apiVersion: "apps/v1", kind: "Deployment", metadata: deployment.metadata });
}

export interface SplitReplicaSets {
  newRS: V1ReplicaSet | undefined;
  oldRSs: V1ReplicaSet[];
}

/** The oldest ReplicaSet with the current template is the new one (there should be only one). */
export function splitReplicaSets(deployment: V1Deployment, owned: V1ReplicaSet[]): SplitReplicaSets {
  const sorted = [...owned].sort(byCreation);
  const newRS = sorted.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, deployment.spec?.template));
  return { newRS, oldRSs: sorted.filter((rs) => rs !== newRS) };
}

export function templateHash(deployment: V1Deployment): string {
  return computeHash(withoutHashLabel(deployment.spec?.template), deployment.status?.collisionCount);
}

export function buildReplicaSet(options: { deployment: V1Deployment; replicas: number; annotations: Record<string, string> }): V1ReplicaSet {
  const d = options.deployment;
  const hash = templateHash(d);
  const template = withoutHashLabel(d.spec?.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${d.metadata?.name ?? ""}-${hash}`,
      namespace: d.metadata?.namespace,
      labels: { ...(template.metadata.labels ?? {}) },
      annotations: options.annotations,
      ownerReferences: [deploymentRef(d)],
    },
    spec: {
      replicas: options.replicas,
      minReadySeconds: d.spec?.minReadySeconds,
      selector,
      template,
    },
  };
}
