// The storage controllers as one component (`berth cluster up` starts it; it can also run
// alone against any API server): the PersistentVolume binder with the berth.dev/hostpath
// provisioner, and pvc / pv in-use protection, sharing one set of informers. It creates the
// default StorageClass at start.
//
// The hostpath provisioner keeps volumes under DATA_DIR/volumes; `dataDir` comes from the
// cluster (ComponentOptions.dataDir, set by startCluster). Without it, claims that need a
// hostpath volume get a ProvisioningFailed event; static volumes still bind.
import { Informer, type InformerOptions, type TypeRef } from "../../kube/client/index.js";
import type { Component, ComponentOptions } from "../component.js";
import { clientFor } from "../controllers/batchAndNetwork.js";
import { startBinder } from "./binder.js";
import { ensureDefaultStorageClass } from "./defaultClass.js";
import { startProtection } from "./protection.js";
import { CLAIM_TYPE, CLASS_TYPE, POD_TYPE, VOLUME_TYPE } from "./types.js";

export const STORAGE_CONTROLLERS = "storage-controllers";

export { startSchedulerWithStorage, storageVolumeBinding } from "./scheduling.js";
export { volumesDir } from "./hostpath.js";

export async function startStorageControllers(options: ComponentOptions): Promise<Component> {
  const client = clientFor(options);
  const { clock, logger } = options;
  const onError = (err: unknown): void => logger?.warn(`${STORAGE_CONTROLLERS}: ${String(err)}`);
  const informer = (type: TypeRef, extra: InformerOptions = {}): Informer => new Informer(client, type, { allNamespaces: true, clock, onError, ...extra });
  const informers = {
    claims: informer(CLAIM_TYPE),
    volumes: informer(VOLUME_TYPE),
    classes: informer(CLASS_TYPE),
    nodes: informer({ apiVersion: "v1", kind: "Node" }),
    pods: informer(POD_TYPE),
  };
  await ensureDefaultStorageClass(client);
  const binder = startBinder({ client, clock, ...informers, dataDir: options.dataDir, logger });
  const protection = startProtection({ client, clock, claims: informers.claims, volumes: informers.volumes, pods: informers.pods, logger });
  const all = Object.values(informers);
  const stop = async (): Promise<void> => {
    for (const i of all) i.stop();
    await Promise.all([binder.stop(), protection.stop()]);
  };
  try {
    await Promise.all(all.map((i) => i.start()));
  } catch (err) {
    await stop();
    throw err;
  }
  return { name: STORAGE_CONTROLLERS, stop };
}
