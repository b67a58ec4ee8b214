// StatefulSet pod identity (stateful_set_utils.go): pod NAME-ORDINAL with hostname and
// subdomain, the pod-name / pod-index labels, and one PVC per volumeClaimTemplate named
// TEMPLATE-NAME-ORDINAL mounted in place of any same-named volume.
import type { V1PersistentVolumeClaim, V1Pod, V1PodTemplateSpec, V1StatefulSet, V1Volume } from "@kubernetes/client-node";
import { REVISION_HASH_LABEL } from "../controllerrevision/history.js";
import { newControllerRef } from "../shared/ownerRefs.js";
import { podFromTemplate } from "../shared/pods.js";

export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

export function podName(set: V1StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ""}-${ordinal}`;
}

/** The ordinal of a pod named SET-N, or undefined for any other name. */
export function ordinalOf(set: V1StatefulSet, pod: V1Pod): number | undefined {
  const prefix = `${set.metadata?.name ?? ""}-`;
  const name = pod.metadata?.name ?? "";
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export function claimName(set: V1StatefulSet, template: string, ordinal: number): string {
  return `${template}-${set.metadata?.name ?? ""}-${ordinal}`;
}

export function claimsFor(set: V1StatefulSet, ordinal: number): V1PersistentVolumeClaim[] {
  const retention = set.spec?.persistentVolumeClaimRetentionPolicy;
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const claim: V1PersistentVolumeClaim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: {
        name: claimName(set, t.metadata?.name ?? "", ordinal),
        namespace: set.metadata?.namespace,
        labels: { ...(t.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      },
      spec: structuredClone(t.spec ?? {}),
    };
    // Retain (the default) leaves claims unowned so they outlive the set; Delete lets the
    // garbage collector remove them with it.
    if (retention?.whenDeleted === "Delete" && claim.metadata) {
      claim.metadata.ownerReferences = [{ ...newControllerRef({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: set.metadata }), controller: false }];
    }
    return claim;
  });
}

export function buildPod(set: V1StatefulSet, options: { ordinal: number; template: V1PodTemplateSpec; revision: string }): V1Pod {
  const name = podName(set, options.ordinal);
  const pod = podFromTemplate({
    template: options.template,
    namespace: set.metadata?.namespace ?? "default",
    ownerRef: newControllerRef({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: set.metadata }),
    name,
    extraLabels: { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(options.ordinal), [REVISION_HASH_LABEL]: options.revision },
  });
  const spec = pod.spec ?? { containers: [] };
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = (set.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? "");
  const volumes: V1Volume[] = (spec.volumes ?? []).filter((v) => !claims.includes(v.name));
  for (const t of claims) volumes.push({ name: t, persistentVolumeClaim: { claimName: claimName(set, t, options.ordinal) } });
  if (volumes.length > 0) spec.volumes = volumes;
  pod.spec = spec;
  return pod;
}
