// The berth.dev/hostpath provisioner: one directory per volume under DATA_DIR/volumes, named
// after the PV (pvc-<claim uid>, as Kubernetes' provisioners name them), so deleting the data
// dir removes every volume with the rest of the cluster. With WaitForFirstConsumer the volume
// carries the selected node's hostname affinity: the directory "lives" on that node.
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from "@kubernetes/client-node";
import { BOUND_BY_CONTROLLER, HOSTNAME_LABEL, PROVISIONED_BY, PROVISIONER } from "./types.js";

export function volumesDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), "volumes");
}

export function provisionedName(claim: V1PersistentVolumeClaim): string {
  return `pvc-${claim.metadata?.uid ?? ""}`;
}

export interface ProvisionOptions {
  dataDir: string;
  /** The node the scheduler selected (WaitForFirstConsumer). */
  node?: string;
}

/** The PV the provisioner creates for a claim: pre-bound to it, so the binder completes it. */
export function provisionedVolume(claim: V1PersistentVolumeClaim, sc: V1StorageClass, options: ProvisionOptions): V1PersistentVolume {
  const name = provisionedName(claim);
  const volume: V1PersistentVolume = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, annotations: { [PROVISIONED_BY]: PROVISIONER, [BOUND_BY_CONTROLLER]: "yes" } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? "0" },
      accessModes: claim.spec?.accessModes ?? ["ReadWriteOnce"],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
      storageClassName: sc.metadata?.name ?? "",
      volumeMode: claim.spec?.volumeMode ?? "Filesystem",
      hostPath: { path: path.join(volumesDir(options.dataDir), name), type: "DirectoryOrCreate" },
      claimRef: {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        namespace: claim.metadata?.namespace,
        name: claim.metadata?.name,
        uid: claim.metadata?.uid,
        resourceVersion: claim.metadata?.resourceVersion,
      },
    },
  };
  if (sc.mountOptions && volume.spec) volume.spec.mountOptions = sc.mountOptions;
  if (options.node && volume.spec) {
    volume.spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: [options.node] }] }] } };
  }
  return volume;
}

export async function makeVolumeDir(volume: V1PersistentVolume): Promise<void> {
  const dir = volume.spec?.hostPath?.path;
  if (dir) await mkdir(dir, { recursive: true });
}

/**
 * Removes a provisioned volume's directory. Only a path directly under DATA_DIR/volumes is
 * ever removed: a PV's hostPath is user-editable and must not turn into `rm -rf /`.
 */
export async function removeVolumeDir(volume: V1PersistentVolume, dataDir: string): Promise<void> {
  const dir = volume.spec?.hostPath?.path;
  if (!dir) return;
  const resolved = path.resolve(dir);
  if (path.dirname(resolved) !== volumesDir(dataDir)) {
    throw new Error(`refusing to delete ${resolved}: provisioned volumes live directly under ${volumesDir(dataDir)}`);
  }
  await rm(resolved, { recursive: true, force: true });
}
