// The kubelet's Events about a pod, aggregated as client-go's event correlator does: the same
// reason and message about the same pod again bumps `count` and `lastTimestamp` on the Event
// already written (one PATCH) instead of writing a new one, so a pod that keeps failing to
// mount shows `(x5 over 40s)` in `kubectl describe`. Recording is best effort and never fails
// the reconcile that produced it.
import type { Clock } from "../../core/clock.js";
import { apiStatusOf, type KubeClient } from "../../kube/client/index.js";
import { isoSeconds } from "./status.js";
import type { Pod } from "./types.js";

export const KUBELET_SOURCE = "kubelet";

export interface PodEventInput {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

interface Written {
  name: string;
  namespace: string;
  count: number;
}

export interface PodEventRecorderOptions {
  client: KubeClient;
  clock: Clock;
  onError?: (message: string) => void;
}

export class PodEventRecorder {
  /** pod uid → (reason + message) → the Event written for it. */
  private readonly written = new Map<string, Map<string, Written>>();
  private seq = 0;

  constructor(private readonly options: PodEventRecorderOptions) {}

  async record(pod: Pod, node: string, event: PodEventInput): Promise<void> {
    const uid = pod.metadata.uid ?? "";
    const signature = `${event.type}\u0000${event.reason}\u0000${event.message}`;
    let byPod = this.written.get(uid);
    if (!byPod) this.written.set(uid, (byPod = new Map()));
    const at = isoSeconds(this.options.clock.now());
    try {
      const existing = byPod.get(signature);
      if (existing && (await this.bump(existing, at))) return;
      byPod.set(signature, await this.create(pod, node, event, at));
    } catch (err) {
      this.options.onError?.(`event ${event.reason} for pod ${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}: ${String(err)}`);
    }
  }

  /** Drops what is remembered about a pod (it started, or is gone). */
  forget(uid: string): void {
    this.written.delete(uid);
  }

  /** False when the Event is gone (expired or deleted): a new one is written instead. */
  private async bump(written: Written, at: string): Promise<boolean> {
    const ref = { apiVersion: "v1", kind: "Event", namespace: written.namespace, name: written.name };
    try {
      await this.options.client.patch(ref, { count: written.count + 1, lastTimestamp: at }, { type: "merge" });
      written.count += 1;
      return true;
    } catch (err) {
      if (apiStatusOf(err)?.code === 404) return false;
      throw err;
    }
  }

  private async create(pod: Pod, node: string, event: PodEventInput, at: string): Promise<Written> {
    const namespace = pod.metadata.namespace ?? "default";
    const podName = pod.metadata.name ?? "";
    const name = `${podName}.${(this.options.clock.now() * 1000 + (this.seq++ % 1000)).toString(16)}`;
    await this.options.client.create({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: { apiVersion: "v1", kind: "Pod", namespace, name: podName, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion },
      reason: event.reason,
      message: event.message,
      type: event.type,
      source: { component: KUBELET_SOURCE, host: node },
      reportingComponent: KUBELET_SOURCE,
      reportingInstance: node,
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    });
    return { name, namespace, count: 1 };
  }
}
