// Storage object in-use protection (pkg/controller/volume/pvcprotection and pvprotection):
// a claim keeps kubernetes.io/pvc-protection while any non-terminated pod mounts it, and a
// volume keeps kubernetes.io/pv-protection while it is Bound, so deleting either only marks it
// until it is no longer in use. Admission adds the finalizers at creation; these controllers
// add them to objects that predate it and remove them once deletion is safe.
import type { Clock } from "../../core/clock.js";
import { runController } from "../../core/workqueue/index.js";
import { objectKey, type Informer, type KubeClient, type Unstructured } from "../../kube/client/index.js";
import type { ComponentLogger } from "../component.js";
import { errorLogger, isNotFound } from "../controllers/shared/runtime.js";
import { isClaim, isPod, isVolume, podClaimNames, podTerminated, POD_TYPE, PV_PROTECTION, PVC_PROTECTION, type Pod } from "./types.js";

export interface ProtectionOptions {
  client: KubeClient;
  clock: Clock;
  claims: Informer;
  volumes: Informer;
  pods: Informer;
  logger?: ComponentLogger;
}

export interface Protection {
  stop(): Promise<void>;
}

export function startProtection(options: ProtectionOptions): Protection {
  const claims = runController({ clock: options.clock, workers: 2, reconcile: (key) => reconcileClaimProtection(options, key), onError: errorLogger("pvc-protection", options.logger) });
  const volumes = runController({ clock: options.clock, reconcile: (key) => reconcileVolumeProtection(options, key), onError: errorLogger("pv-protection", options.logger) });
  const onClaim = (o: Unstructured): void => claims.queue.add(objectKey(o));
  const onVolume = (o: Unstructured): void => volumes.queue.add(objectKey(o));
  // A pod that stops using a claim may be what its deletion was waiting for.
  const onPod = (o: Unstructured): void => {
    if (!isPod(o)) return;
    for (const name of podClaimNames(o)) claims.queue.add(`${o.metadata.namespace ?? ""}/${name}`);
  };
  options.claims.addHandlers({ add: onClaim, update: (_o, c) => onClaim(c) });
  options.volumes.addHandlers({ add: onVolume, update: (_o, v) => onVolume(v) });
  options.pods.addHandlers({ add: onPod, update: (_o, p) => onPod(p), delete: onPod });
  return {
    async stop() {
      await Promise.all([claims.stop(), volumes.stop()]);
    },
  };
}

/** Whether a pod still uses the claim: it mounts it and has not terminated. */
export function podUsesClaim(pod: Pod, namespace: string, claimName: string): boolean {
  return (pod.metadata.namespace ?? "") === namespace && !podTerminated(pod) && podClaimNames(pod).includes(claimName);
}

async function withFinalizers(client: KubeClient, obj: Unstructured, finalizers: string[]): Promise<void> {
  const next: Unstructured = { ...structuredClone(obj), metadata: { ...structuredClone(obj.metadata), finalizers } };
  try {
    await client.update(next);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export async function reconcileClaimProtection(options: ProtectionOptions, key: string): Promise<void> {
  const claim = options.claims.get(key);
  if (!isClaim(claim)) return;
  const finalizers = claim.metadata.finalizers ?? [];
  const has = finalizers.includes(PVC_PROTECTION);
  if (!claim.metadata.deletionTimestamp) {
    if (!has) await withFinalizers(options.client, claim, [...finalizers, PVC_PROTECTION]);
    return;
  }
  if (!has) return;
  const namespace = claim.metadata.namespace ?? "";
  const name = claim.metadata.name ?? "";
  const cachedUser = options.pods.list().some((p) => isPod(p) && podUsesClaim(p, namespace, name));
  if (cachedUser) return;
  // The cache may not have a pod created a moment ago yet: removing the finalizer cannot be undone.
  const live = await options.client.list(POD_TYPE, { namespace });
  if (live.items.some((p) => isPod(p) && podUsesClaim(p, namespace, name))) return;
  await withFinalizers(options.client, claim, finalizers.filter((f) => f !== PVC_PROTECTION));
}

export async function reconcileVolumeProtection(options: ProtectionOptions, key: string): Promise<void> {
  const volume = options.volumes.get(key);
  if (!isVolume(volume)) return;
  const finalizers = volume.metadata.finalizers ?? [];
  const has = finalizers.includes(PV_PROTECTION);
  if (!volume.metadata.deletionTimestamp) {
    if (!has) await withFinalizers(options.client, volume, [...finalizers, PV_PROTECTION]);
    return;
  }
  if (has && volume.status?.phase !== "Bound") await withFinalizers(options.client, volume, finalizers.filter((f) => f !== PV_PROTECTION));
}
