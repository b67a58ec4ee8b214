// VolumeBinding's PreBind (kube-scheduler's BindPodVolumes): once a node is chosen, each of the
// pod's unbound WaitForFirstConsumer claims gets volume.kubernetes.io/selected-node, and the
// pod is bound only after the PV controller has bound every one of them (static volume or
// provisioned) — so a pod never lands on a node before its volumes exist there. The wait
// reads the scheduler's own claim and volume caches (no API polling), wakes on their events,
// re-checks every second like BindPodVolumes' poll, and gives up after the bind timeout
// (kube-scheduler's bindTimeoutSeconds, 600 s), sending the pod back to the queue with
// kube-scheduler's message: binding volumes: context deadline exceeded.
import type { V1Pod } from "@kubernetes/client-node";
import type { Clock } from "../../core/clock.js";
import { BerthError } from "../../core/errors.js";
import type { Informer, KubeClient } from "../../kube/client/index.js";
import { isDelayedBinding } from "./decide.js";
import { BIND_COMPLETED, CLAIM_TYPE, claimClass, isClaim, isStorageClass, podClaimNames, SELECTED_NODE, type Claim } from "./types.js";

export const BIND_TIMEOUT_MS = 600_000;
export const BIND_POLL_MS = 1000;

/** A PreBind that cannot finish: the pod is not bound and goes back to the scheduling queue. */
export class VolumeBindingError extends BerthError {
  override readonly code: string = "VOLUME_BINDING";
}

export interface PreBindOptions {
  client: KubeClient;
  clock: Clock;
  classes: Informer;
  claims: Informer;
  /** Default BIND_TIMEOUT_MS. */
  bindTimeoutMs?: number;
}

/** A claim PreBind annotated, with the resourceVersion its annotation write returned. */
interface Selected {
  namespace: string;
  name: string;
  resourceVersion: string;
}

export class VolumePreBinder {
  private readonly listeners = new Set<() => void>();
  private readonly aborts = new Set<(err: Error) => void>();
  private closed = false;

  constructor(private readonly options: PreBindOptions) {}

  /** Call on every claim or volume change the caches see. */
  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Ends every wait in progress (the scheduler is stopping). */
  close(): void {
    this.closed = true;
    for (const abort of [...this.aborts]) abort(new VolumeBindingError("binding volumes: context canceled"));
  }

  async preBind(pod: V1Pod, node: string): Promise<void> {
    const selected = await this.selectNode(pod, node);
    if (selected.length === 0) return;
    if (this.closed) throw new VolumeBindingError("binding volumes: context canceled");
    await this.waitForBindings(selected, node);
  }

  /** Every unbound late-binding claim of the pod gets the chosen node. */
  private async selectNode(pod: V1Pod, node: string): Promise<Selected[]> {
    const namespace = pod.metadata?.namespace ?? "default";
    const out: Selected[] = [];
    for (const name of podClaimNames(pod)) {
      let claim = await this.options.client.tryGet({ ...CLAIM_TYPE, namespace, name });
      if (!isClaim(claim) || claim.spec?.volumeName || !this.delayed(claim)) continue;
      if (claim.metadata.annotations?.[SELECTED_NODE] !== node) {
        const patch = { metadata: { annotations: { [SELECTED_NODE]: node }, resourceVersion: claim.metadata.resourceVersion } };
        claim = await this.options.client.patch({ ...CLAIM_TYPE, namespace, name }, patch, { type: "merge" });
      }
      out.push({ namespace, name, resourceVersion: claim.metadata.resourceVersion ?? "" });
    }
    return out;
  }

  private delayed(claim: Claim): boolean {
    const className = claimClass(claim);
    const sc = className ? this.options.classes.get(className) : undefined;
    return isStorageClass(sc) && isDelayedBinding(sc);
  }

  private waitForBindings(selected: Selected[], node: string): Promise<void> {
    const { clock } = this.options;
    return new Promise<void>((resolve, reject) => {
      let cancelPoll = (): void => {};
      const finish = (err?: Error): void => {
        this.listeners.delete(check);
        this.aborts.delete(finish);
        cancelTimeout();
        cancelPoll();
        if (err) reject(err);
        else resolve();
      };
      const check = (): void => {
        try {
          if (this.allBound(selected, node)) finish();
        } catch (err) {
          finish(err instanceof Error ? err : new Error(String(err)));
        }
      };
      const poll = (): void => {
        cancelPoll = clock.setTimeout(() => {
          check();
          if (this.listeners.has(check)) poll();
        }, BIND_POLL_MS);
      };
      const cancelTimeout = clock.setTimeout(() => finish(new VolumeBindingError("binding volumes: context deadline exceeded")), this.options.bindTimeoutMs ?? BIND_TIMEOUT_MS);
      this.listeners.add(check);
      this.aborts.add(finish);
      poll();
      check();
    });
  }

  /** BindPodVolumes' checkBindings over the cache: true when done, throws when it cannot be. */
  private allBound(selected: Selected[], node: string): boolean {
    for (const s of selected) {
      const claim = this.options.claims.get(`${s.namespace}/${s.name}`);
      if (!isClaim(claim)) throw new VolumeBindingError(`binding volumes: failed to check provisioning pvc: could not find v1.PersistentVolumeClaim "${s.namespace}/${s.name}"`);
      // The cache has not caught up with our own annotation write yet.
      if (olderThan(claim.metadata.resourceVersion, s.resourceVersion)) return false;
      const annotations = claim.metadata.annotations;
      if (!annotations) throw new VolumeBindingError(`binding volumes: selectedNode annotation reset for PVC "${s.name}"`);
      if (annotations[SELECTED_NODE] !== node) throw new VolumeBindingError(`binding volumes: provisioning failed for PVC "${s.name}"`);
      if (!claim.spec?.volumeName || annotations[BIND_COMPLETED] === undefined) return false;
    }
    return true;
  }
}

function olderThan(cached: string | undefined, written: string): boolean {
  if (!cached || !/^\d+$/.test(cached) || !/^\d+$/.test(written)) return false;
  return BigInt(cached) < BigInt(written);
}
