// The binder's decisions as pure functions of observed state (after the PV controller's
// syncClaim / syncVolume in pkg/controller/volume/persistentvolume/pv_controller.go): what a
// claim needs next (bind, provision, wait, lost) and what a volume needs next (a phase,
// release, reclaim, unbind). The controller executes a decision and nothing else, so the table
// tests of this file are the binding rules.
import type { V1Node, V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from "@kubernetes/client-node";
import { findMatchingVolume, isVolumeBoundToClaim, volumeMismatch } from "./match.js";
import { BIND_COMPLETED, BOUND_BY_CONTROLLER, claimClass, HOSTNAME_LABEL, NO_PROVISIONER, PROVISIONED_BY, PROVISIONER, SELECTED_NODE } from "./types.js";

export interface StorageEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export const NO_CLASS_MESSAGE = "no persistent volumes available for this claim and no storage class is set";
export const WAIT_FOR_CONSUMER_MESSAGE = "waiting for first consumer to be created before binding";

export type ClaimDecision =
  | { action: "none" }
  | { action: "bind"; volume: V1PersistentVolume }
  | { action: "provision"; storageClass: V1StorageClass; node?: string }
  | { action: "pending"; event?: StorageEvent }
  | { action: "lost"; event: StorageEvent };

export interface ClaimView {
  volumes: Iterable<V1PersistentVolume>;
  volume(name: string): V1PersistentVolume | undefined;
  storageClass(name: string): V1StorageClass | undefined;
  node(name: string): V1Node | undefined;
}

export function isDelayedBinding(sc: V1StorageClass | undefined): boolean {
  return sc?.volumeBindingMode === "WaitForFirstConsumer";
}

export function decideClaim(claim: V1PersistentVolumeClaim, view: ClaimView): ClaimDecision {
  if (claim.metadata?.deletionTimestamp) return { action: "none" };
  const volumeName = claim.spec?.volumeName;
  return volumeName ? decidePreBoundClaim(claim, volumeName, view) : decideUnboundClaim(claim, view);
}

function decideUnboundClaim(claim: V1PersistentVolumeClaim, view: ClaimView): ClaimDecision {
  const className = claimClass(claim);
  const sc = className ? view.storageClass(className) : undefined;
  const delayed = isDelayedBinding(sc);
  const selected = claim.metadata?.annotations?.[SELECTED_NODE];
  // A node the cache does not know yet still carries its name as hostname label.
  const node = delayed && selected ? (view.node(selected) ?? { metadata: { name: selected, labels: { [HOSTNAME_LABEL]: selected } } }) : undefined;
  const match = findMatchingVolume(claim, view.volumes, { delayBinding: delayed, node });
  if (match) return { action: "bind", volume: match };
  if (!className) return { action: "pending", event: { type: "Warning", reason: "FailedBinding", message: NO_CLASS_MESSAGE } };
  if (!sc) return { action: "pending", event: { type: "Warning", reason: "ProvisioningFailed", message: `storageclass.storage.k8s.io "${className}" not found` } };
  if (delayed && !selected) return { action: "pending", event: { type: "Normal", reason: "WaitForFirstConsumer", message: WAIT_FOR_CONSUMER_MESSAGE } };
  if (sc.provisioner === NO_PROVISIONER) {
    return { action: "pending", event: { type: "Warning", reason: "FailedBinding", message: `no persistent volumes available for this claim and storage class "${className}" does not provision volumes` } };
  }
  if (sc.provisioner !== PROVISIONER) {
    const message = `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;
    return { action: "pending", event: { type: "Normal", reason: "ExternalProvisioning", message } };
  }
  return { action: "provision", storageClass: sc, node: delayed ? selected : undefined };
}

function decidePreBoundClaim(claim: V1PersistentVolumeClaim, volumeName: string, view: ClaimView): ClaimDecision {
  const completed = claim.metadata?.annotations?.[BIND_COMPLETED] !== undefined;
  const volume = view.volume(volumeName);
  if (!volume) {
    if (completed) return { action: "lost", event: { type: "Warning", reason: "ClaimLost", message: "Bound claim has lost its PersistentVolume. Data on the volume is lost!" } };
    return { action: "pending" };
  }
  if (!volume.spec?.claimRef) {
    const mismatch = volumeMismatch(volume, claim);
    if (mismatch) return { action: "pending", event: { type: "Warning", reason: "VolumeMismatch", message: `Cannot bind to requested volume "${volumeName}": ${mismatch}` } };
    return { action: "bind", volume };
  }
  if (isVolumeBoundToClaim(volume, claim)) return { action: "bind", volume };
  if (completed) return { action: "lost", event: { type: "Warning", reason: "ClaimMisbound", message: "Two claims are bound to the same volume, this one is bound incorrectly" } };
  return { action: "pending", event: { type: "Warning", reason: "FailedBinding", message: `volume "${volumeName}" already bound to a different claim.` } };
}

export type VolumeDecision =
  | { action: "none" }
  | { action: "phase"; phase: "Available" | "Bound" | "Released" | "Failed"; message?: string }
  | { action: "unbind" }
  | { action: "delete" };

/**
 * `claim` is the claim the volume's claimRef names, as observed (undefined when gone). The
 * controller confirms "gone" against the API before acting on a release, since an informer
 * may not have seen a just-created claim yet.
 */
export function decideVolume(volume: V1PersistentVolume, claim: V1PersistentVolumeClaim | undefined): VolumeDecision {
  const ref = volume.spec?.claimRef;
  const phase = volume.status?.phase;
  if (!ref || !ref.uid) return phase === "Available" ? { action: "none" } : { action: "phase", phase: "Available" };
  const current = claim && claim.metadata?.uid === ref.uid ? claim : undefined;
  if (!current) return decideReleased(volume);
  const claimVolume = current.spec?.volumeName;
  if (!claimVolume) return { action: "none" };
  if (claimVolume === volume.metadata?.name) return phase === "Bound" ? { action: "none" } : { action: "phase", phase: "Bound" };
  return volume.metadata?.annotations?.[BOUND_BY_CONTROLLER] ? { action: "unbind" } : { action: "none" };
}

/** The claim is gone: Released first, then the reclaim policy. */
function decideReleased(volume: V1PersistentVolume): VolumeDecision {
  const phase = volume.status?.phase;
  if (phase === "Failed") return { action: "none" };
  if (phase !== "Released") return { action: "phase", phase: "Released" };
  const policy = volume.spec?.persistentVolumeReclaimPolicy ?? "Retain";
  if (policy === "Retain") return { action: "none" };
  if (policy === "Delete") {
    if (volume.metadata?.annotations?.[PROVISIONED_BY] === PROVISIONER) return { action: "delete" };
    return { action: "phase", phase: "Failed", message: `error getting deleter volume plugin for volume "${volume.metadata?.name ?? ""}": no deletable volume plugin matched` };
  }
  return { action: "phase", phase: "Failed", message: `no volume plugin matched: reclaim policy ${policy} is not supported` };
}
