// The kubelet's volume gate: before a pod's sandbox starts, every volume its containers mount
// must be set up (mounts.ts decides from informer caches). Until then the pod stays Pending
// with its containers in ContainerCreating and no IP, and the kubelet writes FailedMount
// Events: again only when the mount retry is due (500 ms doubling to 2m2s, the volume
// manager's backoff) or the message changed, as count bumps on the same Event.
//
// Cost: a pod whose volumes need no lookup (none, or only the API-access volume) passes with
// no cache read and no API call. The caches of claims, volumes, ConfigMaps and Secrets start
// the first time a pod needs them, so a cluster that never mounts a Secret never lists them.
// A pod waits on the objects it named; their informer events requeue just those pods.
import type { Clock } from "../../core/clock.js";
import { Informer, type KubeClient, type TypeRef, type Unstructured } from "../../kube/client/index.js";
import type { ComponentLogger } from "../component.js";
import { PodEventRecorder } from "./events.js";
import { checkMounts, needsMountCheck, type MountObject, type MountView, type SourceKind } from "./mounts.js";
import type { PodRuntime } from "./runtime.js";
import { renderPodStatus } from "./status.js";
import type { Pod, PodStatus } from "./types.js";

export const MOUNT_RETRY_INITIAL_MS = 500;
export const MOUNT_RETRY_MAX_MS = 122_000;
/** Requeue while a cache is still listing (its sync requeues the waiting pods anyway). */
const CACHE_SYNC_RETRY_MS = 1000;

const TYPES: Record<SourceKind, TypeRef> = {
  PersistentVolumeClaim: { apiVersion: "v1", kind: "PersistentVolumeClaim" },
  PersistentVolume: { apiVersion: "v1", kind: "PersistentVolume" },
  ConfigMap: { apiVersion: "v1", kind: "ConfigMap" },
  Secret: { apiVersion: "v1", kind: "Secret" },
};

/** The pod may not start yet: report `status`, look again after `waitMs`. */
export interface MountWait {
  waitMs: number;
  status: PodStatus;
}

export function isMountWait(v: PodRuntime | MountWait): v is MountWait {
  return "waitMs" in v;
}

export interface AdmitContext {
  key: string;
  node: string;
  hostIP: string;
  now: number;
}

interface Waiting {
  uid: string;
  /** The runtime the pod will start with: its createdAt is the pod's startTime. */
  rt: PodRuntime;
  attempt: number;
  nextRetryAt: number;
  signature: string;
  dependsOn: string[];
}

interface Source {
  informer: Informer;
  synced: boolean;
}

export interface PodVolumesOptions {
  client: KubeClient;
  clock: Clock;
  logger?: ComponentLogger;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The fields mounts.ts reads, taken only when they have the expected shape. */
function mountObject(u: Unstructured): MountObject {
  const spec = isRecord(u.spec) ? u.spec : {};
  const status = isRecord(u.status) ? u.status : {};
  const claimRef = isRecord(spec.claimRef) ? spec.claimRef : {};
  const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  return {
    metadata: { uid: u.metadata.uid, deletionTimestamp: text(u.metadata.deletionTimestamp) },
    spec: { volumeName: text(spec.volumeName), claimRef: { uid: text(claimRef.uid) } },
    status: { phase: text(status.phase) },
    data: isRecord(u.data) ? u.data : undefined,
    binaryData: isRecord(u.binaryData) ? u.binaryData : undefined,
  };
}

export function mountRetryMs(attempt: number): number {
  return Math.min(MOUNT_RETRY_INITIAL_MS * 2 ** Math.min(attempt, 20), MOUNT_RETRY_MAX_MS);
}

export class PodVolumes {
  /** Set by the kubelet: puts a pod key back on its queue. */
  requeue: (podKey: string) => void = () => {};
  private readonly sources = new Map<SourceKind, Source>();
  private readonly waiting = new Map<string, Waiting>();
  private readonly byDependency = new Map<string, Set<string>>();
  private readonly background = new Set<Promise<void>>();
  private readonly events: PodEventRecorder;
  private stopped = false;

  constructor(private readonly options: PodVolumesOptions) {
    this.events = new PodEventRecorder({ client: options.client, clock: options.clock, onError: (m) => options.logger?.warn(`kubelet: ${m}`) });
  }

  /**
   * The runtime a pod that has none yet starts with, or why it must wait. `fresh` makes the
   * runtime (adopted from status after a restart: a pod already running is not held back).
   */
  admit(pod: Pod, ctx: AdmitContext, fresh: () => PodRuntime): PodRuntime | MountWait {
    let held = this.waiting.get(ctx.key);
    // A pod of the same name but another uid replaced it: nothing held carries over.
    if (held && held.uid !== pod.metadata.uid) held = this.release(ctx.key, undefined);
    const heldRt = held?.rt;
    if (!needsMountCheck(pod) || pod.metadata.deletionTimestamp !== undefined) return this.release(ctx.key, heldRt ?? fresh());
    const rt = heldRt ?? fresh();
    if (rt.sandboxReady) return this.release(ctx.key, rt);
    let unsynced = false;
    const view: MountView = {
      get: (kind, namespace, name) => {
        const informer = this.source(kind);
        if (!informer) unsynced = true;
        const obj = informer?.get(kind === "PersistentVolume" ? name : `${namespace}/${name}`);
        return obj ? mountObject(obj) : undefined;
      },
    };
    const check = checkMounts(pod, view);
    if (!unsynced && check.unmounted.length === 0) {
      // It waited: containers start from now, not from when the pod first arrived.
      if (heldRt) rt.startAt = Math.max(rt.startAt, ctx.now + (rt.startAt - rt.createdAt));
      return this.release(ctx.key, rt);
    }
    const w: Waiting = held ?? { uid: pod.metadata.uid ?? "", rt, attempt: 0, nextRetryAt: ctx.now, signature: "", dependsOn: [] };
    this.waiting.set(ctx.key, w);
    this.setDependencies(ctx.key, w, check.dependsOn);
    if (unsynced) return { waitMs: CACHE_SYNC_RETRY_MS, status: waitingStatus(pod, rt, ctx) };
    const signature = JSON.stringify(check.events);
    if (ctx.now >= w.nextRetryAt || signature !== w.signature) {
      for (const e of check.events) this.track(this.events.record(pod, ctx.node, { type: "Warning", ...e }));
      w.nextRetryAt = ctx.now + mountRetryMs(w.attempt);
      w.attempt += 1;
      w.signature = signature;
    }
    return { waitMs: Math.max(1, w.nextRetryAt - ctx.now), status: waitingStatus(pod, rt, ctx) };
  }

  /** The pod is gone from this node: drop what is held for it. */
  forget(key: string): void {
    this.release(key, undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.sources.values()) s.informer.stop();
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private release<T>(key: string, rt: T): T {
    const held = this.waiting.get(key);
    if (!held) return rt;
    this.waiting.delete(key);
    this.setDependencies(key, held, []);
    this.events.forget(held.uid);
    return rt;
  }

  private setDependencies(key: string, w: Waiting, next: string[]): void {
    for (const dep of w.dependsOn) {
      const keys = this.byDependency.get(dep);
      keys?.delete(key);
      if (keys?.size === 0) this.byDependency.delete(dep);
    }
    w.dependsOn = next;
    for (const dep of next) {
      let keys = this.byDependency.get(dep);
      if (!keys) this.byDependency.set(dep, (keys = new Set()));
      keys.add(key);
    }
  }

  /** The synced cache of a kind, started on first use; undefined until it has listed. */
  private source(kind: SourceKind): Informer | undefined {
    const existing = this.sources.get(kind);
    if (existing) return existing.synced ? existing.informer : undefined;
    if (this.stopped) return undefined;
    const { client, clock, logger } = this.options;
    const informer = new Informer(client, TYPES[kind], { allNamespaces: true, clock, onError: (err) => logger?.warn(`kubelet ${kind} cache: ${String(err)}`) });
    const source: Source = { informer, synced: false };
    this.sources.set(kind, source);
    const changed = (obj: Unstructured): void => {
      const name = obj.metadata.name ?? "";
      const dep = kind === "PersistentVolume" ? `${kind}:${name}` : `${kind}:${obj.metadata.namespace ?? ""}/${name}`;
      for (const podKey of this.byDependency.get(dep) ?? []) this.requeue(podKey);
    };
    informer.addHandlers({ add: changed, update: (_old, obj) => changed(obj), delete: changed });
    const started = informer.start().then(
      () => {
        source.synced = true;
        for (const podKey of this.waiting.keys()) this.requeue(podKey);
      },
      (err: unknown) => {
        // Forget it so the next pod that needs the kind tries again.
        informer.stop();
        this.sources.delete(kind);
        logger?.warn(`kubelet: cannot list ${kind}s for volume mounts: ${String(err)}`);
      },
    );
    this.track(started);
    return undefined;
  }

  private track(work: Promise<void>): void {
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
  }
}

/** Pending, containers ContainerCreating, no sandbox and so no pod IP yet. */
function waitingStatus(pod: Pod, rt: PodRuntime, ctx: AdmitContext): PodStatus {
  const status = renderPodStatus(pod, rt, { hostIP: ctx.hostIP, podIP: "", now: ctx.now });
  delete status.podIP;
  delete status.podIPs;
  return status;
}
