// Names and type guards the storage controllers share. The annotation and finalizer names are
// Kubernetes' own, so kubectl, charts and operators written for a real cluster read berth's
// claims and volumes the same way.
import type { V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1StorageClass } from "@kubernetes/client-node";
import { isRecord, type Unstructured } from "../../kube/client/index.js";

export const PROVISIONER = "berth.dev/hostpath";
export const DEFAULT_CLASS = "standard";
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
export const BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";

export const BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
export const BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
export const PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
export const STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
export const SELECTED_NODE = "volume.kubernetes.io/selected-node";
export const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export const PVC_PROTECTION = "kubernetes.io/pvc-protection";
export const PV_PROTECTION = "kubernetes.io/pv-protection";
/** The provisioner of classes whose volumes only come from an administrator. */
export const NO_PROVISIONER = "kubernetes.io/no-provisioner";

export const CLAIM_TYPE = { apiVersion: "v1", kind: "PersistentVolumeClaim" };
export const VOLUME_TYPE = { apiVersion: "v1", kind: "PersistentVolume" };
export const CLASS_TYPE = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass" };
export const POD_TYPE = { apiVersion: "v1", kind: "Pod" };

export type Claim = Unstructured & V1PersistentVolumeClaim;
export type Volume = Unstructured & V1PersistentVolume;
export type StorageClass = Unstructured & V1StorageClass;
export type Pod = Unstructured & V1Pod;

function shaped(obj: Unstructured, kind: string): boolean {
  return obj.kind === kind && (obj.spec === undefined || isRecord(obj.spec)) && (obj.status === undefined || isRecord(obj.status));
}

export function isClaim(obj: Unstructured | undefined): obj is Claim {
  return obj !== undefined && shaped(obj, "PersistentVolumeClaim");
}

export function isVolume(obj: Unstructured | undefined): obj is Volume {
  return obj !== undefined && shaped(obj, "PersistentVolume");
}

export function isStorageClass(obj: Unstructured | undefined): obj is StorageClass {
  return obj !== undefined && obj.kind === "StorageClass" && typeof obj.provisioner === "string";
}

export function isPod(obj: Unstructured | undefined): obj is Pod {
  return obj !== undefined && shaped(obj, "Pod");
}

/** The claim's class: spec.storageClassName, else the beta annotation, else "" (no class). */
export function claimClass(claim: V1PersistentVolumeClaim): string {
  return claim.spec?.storageClassName ?? claim.metadata?.annotations?.[BETA_CLASS_ANNOTATION] ?? "";
}

export function volumeClass(volume: V1PersistentVolume): string {
  return volume.spec?.storageClassName ?? volume.metadata?.annotations?.[BETA_CLASS_ANNOTATION] ?? "";
}

export function isDefaultClass(sc: V1StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === "true" || a[BETA_DEFAULT_CLASS_ANNOTATION] === "true";
}

export function claimKey(claim: V1PersistentVolumeClaim): string {
  return `${claim.metadata?.namespace ?? ""}/${claim.metadata?.name ?? ""}`;
}

/** The claims a pod mounts, by name (in the pod's namespace). */
export function podClaimNames(pod: V1Pod): string[] {
  const names: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    if (name) names.push(name);
  }
  return names;
}

/** Succeeded and Failed pods no longer use their volumes (pvc-protection's rule). */
export function podTerminated(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}
