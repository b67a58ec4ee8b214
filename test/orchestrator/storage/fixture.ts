// One builder for the claims, volumes and classes the storage tests use.
import type { V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from "@kubernetes/client-node";

export interface VolumeFixture {
  size?: string;
  modes?: string[];
  className?: string;
  phase?: string;
  claim?: { name: string; namespace?: string; uid?: string };
  labels?: Record<string, string>;
  node?: string;
  volumeMode?: string;
  policy?: string;
  annotations?: Record<string, string>;
}

export function pv(name: string, f: VolumeFixture = {}): V1PersistentVolume {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, labels: f.labels, annotations: f.annotations },
    spec: {
      capacity: { storage: f.size ?? "1Gi" },
      accessModes: f.modes ?? ["ReadWriteOnce"],
      storageClassName: f.className,
      volumeMode: f.volumeMode,
      persistentVolumeReclaimPolicy: f.policy,
      hostPath: { path: `/tmp/${name}` },
      claimRef: f.claim ? { kind: "PersistentVolumeClaim", namespace: f.claim.namespace ?? "default", name: f.claim.name, uid: f.claim.uid } : undefined,
      nodeAffinity: f.node
        ? { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [f.node] }] }] } }
        : undefined,
    },
    status: { phase: f.phase ?? "Available" },
  };
}

export interface ClaimFixture {
  size?: string;
  modes?: string[];
  /** undefined: no class field at all; "" : explicitly no class. */
  className?: string;
  volumeName?: string;
  selector?: Record<string, string>;
  volumeMode?: string;
  uid?: string;
  annotations?: Record<string, string>;
}

export function pvc(name: string, f: ClaimFixture = {}): V1PersistentVolumeClaim {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: "default", uid: f.uid ?? `uid-${name}`, annotations: f.annotations },
    spec: {
      accessModes: f.modes ?? ["ReadWriteOnce"],
      resources: { requests: { storage: f.size ?? "1Gi" } },
      storageClassName: f.className,
      volumeName: f.volumeName,
      volumeMode: f.volumeMode,
      selector: f.selector ? { matchLabels: f.selector } : undefined,
    },
    status: { phase: "Pending" },
  };
}

export function storageClass(name: string, f: { provisioner?: string; mode?: string; policy?: string } = {}): V1StorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name },
    provisioner: f.provisioner ?? "berth.dev/hostpath",
    volumeBindingMode: f.mode ?? "Immediate",
    reclaimPolicy: f.policy ?? "Delete",
  };
}
