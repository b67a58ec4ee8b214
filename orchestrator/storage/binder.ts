// The PersistentVolume controller: one queue of claims ("ns/name") and one of volumes
// ("name"), each reconciled from the informers' view with decide.ts and executed through the
// API by operations.ts. Any change that could let a waiting claim bind (a volume appearing
// or freed, a class created) requeues the unbound claims, so nothing polls.
import type { Clock } from "../../core/clock.js";
import { runController, type RunningController } from "../../core/workqueue/index.js";
import { objectKey, type Informer, type KubeClient, type Unstructured } from "../../kube/client/index.js";
import type { ComponentLogger } from "../component.js";
import { errorLogger, isNotFound } from "../controllers/shared/runtime.js";
import { decideClaim, decideVolume, type ClaimDecision, type ClaimView, type StorageEvent } from "./decide.js";
import { makeVolumeDir, provisionedVolume, removeVolumeDir } from "./hostpath.js";
import { annotateClaim, bindClaim, bindVolume, emit, setClaimPhase, setVolumePhase, unbindVolume, type OpsContext } from "./operations.js";
import {
  BETA_STORAGE_PROVISIONER,
  CLAIM_TYPE,
  isClaim,
  isStorageClass,
  isVolume,
  PROVISIONER,
  STORAGE_PROVISIONER,
  VOLUME_TYPE,
  type Claim,
  type Volume,
} from "./types.js";

export interface BinderOptions {
  client: KubeClient;
  clock: Clock;
  claims: Informer;
  volumes: Informer;
  classes: Informer;
  nodes: Informer;
  /** The cluster's data dir; without it the hostpath provisioner reports ProvisioningFailed. */
  dataDir?: string;
  logger?: ComponentLogger;
}

export interface Binder {
  claims: RunningController;
  volumes: RunningController;
  stop(): Promise<void>;
}

export function startBinder(options: BinderOptions): Binder {
  const ctx: BinderContext = { ...options, lastEvent: new Map(), onError: (m) => options.logger?.warn(m) };
  const claims = runController({ clock: options.clock, workers: 2, reconcile: (key) => reconcileClaim(ctx, key), onError: errorLogger("pv-controller claim", options.logger) });
  const volumes = runController({ clock: options.clock, workers: 2, reconcile: (key) => reconcileVolume(ctx, key), onError: errorLogger("pv-controller volume", options.logger) });
  const unboundClaims = (): void => {
    for (const c of options.claims.list()) if (isClaim(c) && !c.spec?.volumeName) claims.queue.add(objectKey(c));
  };
  const onClaim = (o: Unstructured): void => {
    if (!isClaim(o)) return;
    claims.queue.add(objectKey(o));
    if (o.spec?.volumeName) volumes.queue.add(o.spec.volumeName);
  };
  const onClaimDeleted = (o: Unstructured): void => {
    ctx.lastEvent.delete(objectKey(o));
    for (const v of options.volumes.list()) {
      const ref = isVolume(v) ? v.spec?.claimRef : undefined;
      if (ref && ref.namespace === o.metadata.namespace && ref.name === o.metadata.name) volumes.queue.add(objectKey(v));
    }
  };
  const onVolume = (o: Unstructured): void => {
    if (!isVolume(o)) return;
    volumes.queue.add(objectKey(o));
    const ref = o.spec?.claimRef;
    if (ref?.name) claims.queue.add(`${ref.namespace ?? ""}/${ref.name}`);
    unboundClaims();
  };
  options.claims.addHandlers({ add: onClaim, update: (_o, c) => onClaim(c), delete: onClaimDeleted });
  options.volumes.addHandlers({ add: onVolume, update: (_o, v) => onVolume(v), delete: onVolume });
  options.classes.addHandlers({ add: unboundClaims, update: unboundClaims });
  return {
    claims,
    volumes,
    async stop() {
      await Promise.all([claims.stop(), volumes.stop()]);
    },
  };
}

interface BinderContext extends BinderOptions, OpsContext {
  /** The last event written per claim key, so a claim that keeps waiting is not re-reported. */
  lastEvent: Map<string, string>;
}

function claimView(ctx: BinderContext): ClaimView {
  const volumes = ctx.volumes.list().filter(isVolume);
  return {
    volumes,
    volume: (name) => {
      const v = ctx.volumes.get(name);
      return isVolume(v) ? v : undefined;
    },
    storageClass: (name) => {
      const sc = ctx.classes.get(name);
      return isStorageClass(sc) ? sc : undefined;
    },
    node: (name) => ctx.nodes.get(name),
  };
}

export async function reconcileClaim(ctx: BinderContext, key: string): Promise<void> {
  const claim = ctx.claims.get(key);
  if (!isClaim(claim)) return;
  const decision = decideClaim(claim, claimView(ctx));
  await executeClaim(ctx, claim, decision);
}

async function executeClaim(ctx: BinderContext, claim: Claim, decision: ClaimDecision): Promise<void> {
  const key = objectKey(claim);
  switch (decision.action) {
    case "none":
      return;
    case "bind": {
      const volume = await bindVolume(ctx, cachedVolume(ctx, decision.volume.metadata?.name), claim);
      await bindClaim(ctx, claim, volume);
      ctx.lastEvent.delete(key);
      return;
    }
    case "provision":
      return provision(ctx, claim, decision);
    case "pending":
      await setClaimPhase(ctx, claim, "Pending");
      if (decision.event) await report(ctx, claim, decision.event);
      return;
    case "lost":
      await setClaimPhase(ctx, claim, "Lost");
      await report(ctx, claim, decision.event);
  }
}

/** The informer's copy of a volume decide.ts chose (decisions speak client-node types). */
function cachedVolume(ctx: BinderContext, name: string | undefined): Volume {
  const v = name ? ctx.volumes.get(name) : undefined;
  if (!isVolume(v)) throw new Error(`binder: volume ${name ?? ""} left the cache`);
  return v;
}

async function report(ctx: BinderContext, claim: Claim, event: StorageEvent): Promise<void> {
  const key = objectKey(claim);
  const signature = `${event.reason}\u0000${event.message}`;
  if (ctx.lastEvent.get(key) === signature) return;
  ctx.lastEvent.set(key, signature);
  await emit(ctx, claim, event);
}

async function provision(ctx: BinderContext, claim: Claim, decision: Extract<ClaimDecision, { action: "provision" }>): Promise<void> {
  if (!ctx.dataDir) {
    await report(ctx, claim, { type: "Warning", reason: "ProvisioningFailed", message: `${PROVISIONER} has no data directory to create volumes in (run the storage controllers with dataDir)` });
    return;
  }
  const annotated = await annotateClaim(ctx, claim, { [STORAGE_PROVISIONER]: PROVISIONER, [BETA_STORAGE_PROVISIONER]: PROVISIONER });
  const wanted = provisionedVolume(annotated, decision.storageClass, { dataDir: ctx.dataDir, node: decision.node });
  const name = wanted.metadata?.name ?? "";
  // Level-triggered: a volume made by an earlier try (its create answered, our informer not yet) is reused.
  const existing = await ctx.client.tryGet({ ...VOLUME_TYPE, name });
  let volume: Volume;
  if (isVolume(existing)) {
    volume = existing;
  } else {
    await makeVolumeDir(wanted);
    const created = await ctx.client.create(wanted);
    if (!isVolume(created)) throw new Error(`creating ${name}: the API server answered with a ${created.kind}`);
    volume = created;
    await emit(ctx, annotated, { type: "Normal", reason: "ProvisioningSucceeded", message: `Successfully provisioned volume ${name} using ${PROVISIONER}` });
  }
  await bindClaim(ctx, annotated, await bindVolume(ctx, volume, annotated));
  ctx.lastEvent.delete(objectKey(claim));
}

export async function reconcileVolume(ctx: BinderContext, key: string): Promise<void> {
  const volume = ctx.volumes.get(key);
  if (!isVolume(volume)) return;
  const ref = volume.spec?.claimRef;
  const cached = ref?.name ? ctx.claims.get(`${ref.namespace ?? ""}/${ref.name}`) : undefined;
  let claim = isClaim(cached) ? cached : undefined;
  let decision = decideVolume(volume, claim);
  if (ref?.name && decision.action !== "none" && (!claim || claim.metadata.uid !== ref.uid)) {
    // Releasing is destructive under Delete: ask the API, not a cache that may lag a new claim.
    const live = await ctx.client.tryGet({ ...CLAIM_TYPE, namespace: ref.namespace, name: ref.name });
    claim = isClaim(live) ? live : undefined;
    decision = decideVolume(volume, claim);
  }
  switch (decision.action) {
    case "none":
      return;
    case "phase":
      await setVolumePhase(ctx, volume, decision.phase, decision.message);
      if (decision.phase === "Failed" && decision.message) await emit(ctx, volume, { type: "Warning", reason: "VolumeFailedDelete", message: decision.message });
      return;
    case "unbind":
      return unbindVolume(ctx, volume);
    case "delete":
      return deleteVolume(ctx, volume);
  }
}

async function deleteVolume(ctx: BinderContext, volume: Volume): Promise<void> {
  if (!ctx.dataDir) throw new Error(`cannot delete ${volume.metadata.name ?? ""}: ${PROVISIONER} has no data directory`);
  try {
    await removeVolumeDir(volume, ctx.dataDir);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await setVolumePhase(ctx, volume, "Failed", message);
    await emit(ctx, volume, { type: "Warning", reason: "VolumeFailedDelete", message });
    return;
  }
  await ctx.client.delete({ ...VOLUME_TYPE, name: volume.metadata.name ?? "" }).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
}
