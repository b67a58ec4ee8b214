// The StorageClass a new cluster starts with: `standard`, provisioned by berth.dev/hostpath,
// marked default so claims that name no class get it (DefaultStorageClass admission). Created
// once if missing and never overwritten, so an administrator's edits (or its removal of the
// default annotation) stick across restarts.
import type { V1StorageClass } from "@kubernetes/client-node";
import type { KubeClient } from "../../kube/client/index.js";
import { apiStatusOf } from "../../kube/client/index.js";
import { CLASS_TYPE, DEFAULT_CLASS, DEFAULT_CLASS_ANNOTATION, PROVISIONER } from "./types.js";

export function defaultStorageClass(): V1StorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: DEFAULT_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
    provisioner: PROVISIONER,
    reclaimPolicy: "Delete",
    volumeBindingMode: "Immediate",
    allowVolumeExpansion: false,
  };
}

export async function ensureDefaultStorageClass(client: KubeClient): Promise<void> {
  if (await client.tryGet({ ...CLASS_TYPE, name: DEFAULT_CLASS })) return;
  try {
    await client.create(defaultStorageClass());
  } catch (err) {
    if (apiStatusOf(err)?.code !== 409) throw err;
  }
}
