// Which volume a claim binds to, after the PV controller's findMatchingVolume
// (pkg/controller/volume/persistentvolume/index.go): a volume pre-bound to the claim wins if it
// fits; otherwise the candidates are Available, unclaimed volumes of the claim's class (""
// matches only volumes without a class) and volumeMode, whose access modes include every mode
// the claim asks for, whose labels match the claim's selector and whose capacity covers the
// request. Among them the one with the fewest access modes wins, then the smallest. Pure: the
// binder and the scheduler both decide from the same answer.
import type { V1Node, V1PersistentVolume, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { parseQuantity } from "../kubelet/quantity.js";
import { matchesLabelSelector, matchesNodeSelectorTerms } from "../scheduler/selectors.js";
import { claimClass, volumeClass } from "./types.js";

/** Bytes of a quantity, or undefined when it is missing or malformed. */
export function bytesOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseQuantity(String(text));
  } catch {
    return undefined;
  }
}

export function requestedBytes(claim: V1PersistentVolumeClaim): number {
  return bytesOf(claim.spec?.resources?.requests?.storage) ?? 0;
}

export function volumeBytes(volume: V1PersistentVolume): number {
  return bytesOf(volume.spec?.capacity?.storage) ?? 0;
}

export function volumeModeOf(obj: V1PersistentVolume | V1PersistentVolumeClaim): string {
  return obj.spec?.volumeMode ?? "Filesystem";
}

/** True when the volume's claimRef names this claim (by uid when the ref carries one). */
export function isVolumeBoundToClaim(volume: V1PersistentVolume, claim: V1PersistentVolumeClaim): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || (ref.namespace ?? "") !== (claim.metadata?.namespace ?? "")) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

export function hasAccessModes(volume: V1PersistentVolume, claim: V1PersistentVolumeClaim): boolean {
  const offered = new Set(volume.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m) => offered.has(m));
}

/** Whether a node may use the volume: no nodeAffinity, or the node matches it. */
export function volumeFitsNode(volume: V1PersistentVolume, node: Pick<V1Node, "metadata">): boolean {
  const terms = volume.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  const name = node.metadata?.name ?? "";
  return matchesNodeSelectorTerms(terms, node.metadata?.labels ?? {}, name);
}

/**
 * Why a volume cannot serve the claim it is meant for (pre-binding either way), or undefined
 * when it can. The messages are the PV controller's checkVolumeSatisfyClaim messages.
 */
export function volumeMismatch(volume: V1PersistentVolume, claim: V1PersistentVolumeClaim): string | undefined {
  if (volumeBytes(volume) < requestedBytes(claim)) return "requested PV is too small";
  if (volumeClass(volume) !== claimClass(claim)) return "storageClassName does not match";
  if (volumeModeOf(volume) !== volumeModeOf(claim)) return "incompatible volumeMode";
  if (!hasAccessModes(volume, claim)) return "incompatible accessMode";
  return undefined;
}

export interface MatchOptions {
  /** When set, only volumes this node may use (WaitForFirstConsumer with a selected node). */
  node?: Pick<V1Node, "metadata">;
  /**
   * The claim binds late and no node is chosen yet: only a volume pre-bound to it may be
   * returned, since any other choice could pin the pod to a node the scheduler would not pick.
   */
  delayBinding?: boolean;
}

/** The volume the claim should bind to, or undefined when none fits. */
export function findMatchingVolume(claim: V1PersistentVolumeClaim, volumes: Iterable<V1PersistentVolume>, options: MatchOptions = {}): V1PersistentVolume | undefined {
  const requested = requestedBytes(claim);
  const wantClass = claimClass(claim);
  const selector = claim.spec?.selector;
  let best: V1PersistentVolume | undefined;
  for (const volume of volumes) {
    if (volumeModeOf(volume) !== volumeModeOf(claim) || !hasAccessModes(volume, claim)) continue;
    if (options.node && !volumeFitsNode(volume, options.node)) continue;
    if (isVolumeBoundToClaim(volume, claim)) {
      if (volumeBytes(volume) < requested || volumeClass(volume) !== wantClass) continue;
      return volume;
    }
    if (options.delayBinding && !options.node) continue;
    if (volume.status?.phase !== "Available" || volume.spec?.claimRef) continue;
    if (volume.metadata?.deletionTimestamp) continue;
    if (selector && !matchesLabelSelector(selector, volume.metadata?.labels ?? {})) continue;
    if (volumeClass(volume) !== wantClass || volumeBytes(volume) < requested) continue;
    if (!best || better(volume, best)) best = volume;
  }
  return best;
}

/** Fewer access modes first (the PV index's order), then smaller capacity, then name. */
function better(a: V1PersistentVolume, b: V1PersistentVolume): boolean {
  const modes = (a.spec?.accessModes ?? []).length - (b.spec?.accessModes ?? []).length;
  if (modes !== 0) return modes < 0;
  const size = volumeBytes(a) - volumeBytes(b);
  if (size !== 0) return size < 0;
  return (a.metadata?.name ?? "") < (b.metadata?.name ?? "");
}
