// The binder's writes, each idempotent so a retried or repeated reconcile converges: binding
// writes the volume side first (claimRef, then phase) and the claim side second, as the PV
// controller does, so a crash between the two leaves a volume pre-bound to its claim, which
// the next claim sync finds and completes.
import type { V1PersistentVolume, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import type { Clock } from "../../core/clock.js";
import type { KubeClient, Unstructured } from "../../kube/client/index.js";
import { recordEvent } from "../controllers/cronjob/events.js";
import type { StorageEvent } from "./decide.js";
import { isVolumeBoundToClaim } from "./match.js";
import { BIND_COMPLETED, BOUND_BY_CONTROLLER, isClaim, isVolume, type Claim, type Volume } from "./types.js";

export const COMPONENT = "persistentvolume-controller";

export interface OpsContext {
  client: KubeClient;
  clock: Clock;
  onError?: (message: string) => void;
}

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export async function emit(ctx: OpsContext, obj: V1PersistentVolumeClaim | V1PersistentVolume, event: StorageEvent): Promise<void> {
  await recordEvent({ client: ctx.client, clock: ctx.clock, onError: ctx.onError, component: COMPONENT }, obj, event);
}

function expectVolume(obj: Unstructured): Volume {
  if (isVolume(obj)) return obj;
  throw new Error(`the API server answered a PersistentVolume write with a ${obj.kind}`);
}

function expectClaim(obj: Unstructured): Claim {
  if (isClaim(obj)) return obj;
  throw new Error(`the API server answered a PersistentVolumeClaim write with a ${obj.kind}`);
}

export async function setVolumePhase(ctx: OpsContext, volume: Volume, phase: string, message?: string): Promise<Volume> {
  if (volume.status?.phase === phase && (volume.status?.message ?? undefined) === message) return volume;
  // Built as JSON: the typed status wants a Date where the API speaks RFC 3339 text.
  const status: Record<string, unknown> = { ...volume.status, phase, lastPhaseTransitionTime: rfc3339(ctx.clock.now()) };
  if (message === undefined) delete status.message;
  else status.message = message;
  const next: Unstructured = { ...structuredClone(volume), status };
  return expectVolume(await ctx.client.updateStatus(next));
}

/** Points the volume at the claim (uid included) and marks it Bound. */
export async function bindVolume(ctx: OpsContext, volume: Volume, claim: Claim): Promise<Volume> {
  let current = volume;
  const ref = volume.spec?.claimRef;
  if (!isVolumeBoundToClaim(volume, claim) || !ref?.uid) {
    const next = structuredClone(volume);
    next.spec = {
      ...next.spec,
      claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion },
    };
    // Only a volume the controller chose is one it may unbind later.
    if (!ref) next.metadata.annotations = { ...next.metadata.annotations, [BOUND_BY_CONTROLLER]: "yes" };
    current = expectVolume(await ctx.client.update(next));
  }
  return setVolumePhase(ctx, current, "Bound");
}

/** Points the claim at the volume, marks the binding complete and copies capacity and modes. */
export async function bindClaim(ctx: OpsContext, claim: Claim, volume: Volume): Promise<Claim> {
  let current = claim;
  const name = volume.metadata.name ?? "";
  if (claim.spec?.volumeName !== name || claim.metadata.annotations?.[BIND_COMPLETED] === undefined) {
    const next = structuredClone(claim);
    const annotations: Record<string, string> = { ...next.metadata.annotations, [BIND_COMPLETED]: "yes" };
    if (!claim.spec?.volumeName) annotations[BOUND_BY_CONTROLLER] = "yes";
    next.metadata.annotations = annotations;
    next.spec = { ...next.spec, volumeName: name };
    current = expectClaim(await ctx.client.update(next));
  }
  const status = current.status ?? {};
  const capacity = volume.spec?.capacity;
  const same = status.phase === "Bound" && JSON.stringify(status.capacity) === JSON.stringify(capacity) && JSON.stringify(status.accessModes) === JSON.stringify(volume.spec?.accessModes);
  if (same) return current;
  const next = structuredClone(current);
  next.status = { ...next.status, phase: "Bound", accessModes: volume.spec?.accessModes, capacity };
  return expectClaim(await ctx.client.updateStatus(next));
}

export async function setClaimPhase(ctx: OpsContext, claim: Claim, phase: "Pending" | "Lost"): Promise<void> {
  if (claim.status?.phase === phase) return;
  const next = structuredClone(claim);
  next.status = { ...next.status, phase };
  await ctx.client.updateStatus(next);
}

/** Clears the claimRef the controller set, making the volume Available again. */
export async function unbindVolume(ctx: OpsContext, volume: Volume): Promise<void> {
  const next = structuredClone(volume);
  if (next.spec) delete next.spec.claimRef;
  const annotations = { ...next.metadata.annotations };
  delete annotations[BOUND_BY_CONTROLLER];
  next.metadata.annotations = annotations;
  await setVolumePhase(ctx, expectVolume(await ctx.client.update(next)), "Available");
}

export async function annotateClaim(ctx: OpsContext, claim: Claim, annotations: Record<string, string>): Promise<Claim> {
  const have = claim.metadata.annotations ?? {};
  if (Object.entries(annotations).every(([k, v]) => have[k] === v)) return claim;
  const ref = { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name ?? "" };
  return expectClaim(await ctx.client.patch(ref, { metadata: { annotations, resourceVersion: claim.metadata.resourceVersion } }, { type: "merge" }));
}
