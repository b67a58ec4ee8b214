// The simulated-node component: every Node carrying the berth.dev/simulated-node annotation is
// run here. Two level-triggered loops over shared informers (one for nodes, one for all bound
// pods, so 100+ pods cost one watch, not one per node):
//   node key → report Ready status and renew the Lease in kube-node-lease, requeued every 10 s
//   pod key  → advance the pod's simulated runtime to now, write the status if it changed,
//              delete it (grace 0) once a deleted pod's containers stopped; requeued for the
//              runtime's next event on the Clock.
// The only memory is the simulated container runtime (the "world" a real kubelet observes);
// it is rebuilt from the pods' reported status after a restart (adopt.ts).
import { runController, type RunningController } from "../../core/workqueue/index.js";
import { ConflictError, NotFoundError } from "../../core/errors.js";
import { Informer, KubeClient, Transport, objectKey, type Unstructured } from "../../kube/client/index.js";
import type { Component, ComponentOptions } from "../component.js";
import { adoptPodRuntime } from "./adopt.js";
import { SIM_KUBELET_STOPPED } from "./annotations.js";
import { PodIpAllocator } from "./ipam.js";
import { buildLease, hostIp, microTime, NODE_LEASE_NAMESPACE, nodeSpecOf, nodeStatus, type SimulatedNodeSpec } from "./node.js";
import { advancePod, beginTermination, isStopped, type PodRuntime } from "./runtime.js";
import { renderPodStatus } from "./status.js";
import { isNode, isPod, type Node, type Pod } from "./types.js";
import { isMountWait, PodVolumes } from "./volumes.js";

export const KUBELET_COMPONENT = "kubelet";
export const LEASE_RENEW_MS = 10_000;
/** Node status is re-posted this often even when nothing changed (kubelet: 5 min). */
export const NODE_STATUS_REPORT_MS = 60_000;

const POD = { apiVersion: "v1", kind: "Pod" };
const BY_NODE = "node";
const NODE = { apiVersion: "v1", kind: "Node" };
const LEASE = { apiVersion: "coordination.k8s.io/v1", kind: "Lease" };

export interface KubeletOptions extends ComponentOptions {
  /**
   * Pod keys reconciled at once (default 64). Each real node has its own kubelet writing in
   * parallel; status writes wait on the store's fsync, so a few workers left 1,000 simulated
   * nodes' pods queueing behind each other while the API server sat idle.
   */
  workers?: number;
}

export function clientFor(options: ComponentOptions): KubeClient {
  const server = options.kubeConfig.getCurrentCluster()?.server ?? "";
  return new KubeClient(new Transport({ kubeConfig: options.kubeConfig, server, clock: options.clock }), "default");
}

class Kubelet {
  readonly client: KubeClient;
  readonly nodes: Informer;
  readonly pods: Informer;
  readonly volumes: PodVolumes;
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly ips = new PodIpAllocator();
  private readonly lastStatusReport = new Map<string, number>();
  /** Each node's Lease as last written (see renewLease). */
  private readonly leases = new Map<string, Unstructured>();
  nodeLoop?: RunningController;
  podLoop?: RunningController;

  constructor(private readonly options: KubeletOptions) {
    this.client = clientFor(options);
    const onError = (err: unknown): void => options.logger?.warn(`kubelet: ${String(err)}`);
    this.nodes = new Informer(this.client, NODE, { clock: options.clock, onError });
    this.pods = new Informer(this.client, POD, { allNamespaces: true, fieldSelector: "spec.nodeName!=", clock: options.clock, onError });
    // Every node event asks for the node's pods; a walk over all pods per event was
    // O(nodes × pods) with 1,000 nodes heartbeating.
    this.pods.addIndex(BY_NODE, (p) => (isPod(p) && p.spec.nodeName ? [p.spec.nodeName] : []));
    this.volumes = new PodVolumes({ client: this.client, clock: options.clock, logger: options.logger });
  }

  private simulatedNode(name: string | undefined): { node: Node; spec: SimulatedNodeSpec } | undefined {
    const node = name ? this.nodes.get(name) : undefined;
    if (!isNode(node)) return undefined;
    const spec = nodeSpecOf(node);
    return spec ? { node, spec } : undefined;
  }

  /** A node whose kubelet is simulated dead: nothing of it reaches the API (see annotations.ts). */
  private silent(node: Node): boolean {
    return node.metadata.annotations?.[SIM_KUBELET_STOPPED] === "true";
  }

  async reconcileNode(name: string): Promise<{ requeueAfter?: number }> {
    const found = this.simulatedNode(name);
    if (!found || this.silent(found.node)) {
      this.lastStatusReport.delete(name);
      this.leases.delete(name);
      return {};
    }
    const now = this.options.clock.now();
    const ready = found.node.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
    const reported = this.lastStatusReport.get(name);
    if (!ready || reported === undefined || now - reported >= NODE_STATUS_REPORT_MS || !found.node.status?.nodeInfo) {
      await this.client.updateStatus({ ...found.node, status: nodeStatus(found.node, found.spec, now) });
      this.lastStatusReport.set(name, now);
    }
    await this.renewLease(found.node, now);
    return { requeueAfter: LEASE_RENEW_MS };
  }

  /**
   * One write per renewal: the Lease the last write returned is updated in place (a real
   * kubelet keeps it too); only a conflict or a missing Lease costs a read. With 1,000 nodes a
   * GET before every PUT was 100 requests a second of pure overhead.
   */
  private async renewLease(node: Node, now: number): Promise<void> {
    const name = node.metadata.name ?? "";
    const held = this.leases.get(name);
    if (held) {
      try {
        this.leases.set(name, await this.client.update(renewed(held, name, now)));
        return;
      } catch (err) {
        this.leases.delete(name);
        if (!(err instanceof ConflictError) && !(err instanceof NotFoundError)) throw err;
      }
    }
    const existing = await this.client.tryGet({ ...LEASE, name, namespace: NODE_LEASE_NAMESPACE });
    const written = existing ? await this.client.update(renewed(existing, name, now)) : await this.client.create(buildLease({ name, uid: node.metadata.uid }, now));
    this.leases.set(name, written);
  }

  async reconcilePod(key: string): Promise<{ requeueAfter?: number }> {
    const cached = this.pods.get(key);
    const pod = isPod(cached) ? cached : undefined;
    const node = this.simulatedNode(pod?.spec.nodeName);
    const runtime = this.runtimes.get(key);
    if (!pod || !node || (runtime && runtime.uid !== pod.metadata.uid)) {
      this.runtimes.delete(key);
      this.ips.release(key);
      this.volumes.forget(key);
      if (!pod || !node) return {};
    }
    // Frozen until the node's kubelet is back; the node handler then requeues its pods.
    if (this.silent(node.node)) return {};
    const now = this.options.clock.now();
    const phase = pod.status?.phase;
    const admitted = this.runtimes.get(key) ?? (phase === "Succeeded" || phase === "Failed" ? undefined : this.admit(pod, node, key, now));
    if (!admitted) return this.finishTerminal(pod, key);
    if (isMountWait(admitted)) {
      if (JSON.stringify(admitted.status) !== JSON.stringify(pod.status)) await this.client.updateStatus({ ...pod, status: admitted.status });
      return { requeueAfter: admitted.waitMs };
    }
    const rt = admitted;
    this.runtimes.set(key, rt);
    if (pod.metadata.deletionTimestamp !== undefined) beginTermination(pod, rt, now);
    const next = advancePod(pod, rt, now);
    const podIP = this.ips.assign({ node: node.spec.name, cidr: node.node.spec?.podCIDR ?? "10.244.0.0/24", podKey: key, current: pod.status?.podIP });
    const status = renderPodStatus(pod, rt, { hostIP: hostIp(node.spec.index), podIP: podIP ?? "", now });
    if (JSON.stringify(status) !== JSON.stringify(pod.status)) await this.client.updateStatus({ ...pod, status });
    if (isStopped(rt)) {
      await this.deletePod(pod);
      return {};
    }
    if (status.phase === "Succeeded" || status.phase === "Failed") {
      this.runtimes.delete(key);
      this.ips.release(key);
      return {};
    }
    return next === undefined ? {} : { requeueAfter: Math.max(1, next - now) };
  }

  /** A pod new to this kubelet starts once its volumes can be set up (volumes.ts). */
  private admit(pod: Pod, node: { spec: SimulatedNodeSpec }, key: string, now: number): ReturnType<PodVolumes["admit"]> {
    return this.volumes.admit(pod, { key, node: node.spec.name, hostIP: hostIp(node.spec.index), now }, () => adoptPodRuntime(pod, now));
  }

  /** A finished pod holds no runtime; one being deleted is removed at once. */
  private async finishTerminal(pod: Pod, key: string): Promise<{ requeueAfter?: number }> {
    this.ips.release(key);
    if (pod.metadata.deletionTimestamp !== undefined) await this.deletePod(pod);
    return {};
  }

  private async deletePod(pod: Pod): Promise<void> {
    await this.client.delete({ ...POD, name: pod.metadata.name ?? "", namespace: pod.metadata.namespace }, { gracePeriodSeconds: 0 });
    this.runtimes.delete(objectKey(pod));
    this.ips.release(objectKey(pod));
  }

  /** Re-registers the IPs running pods hold before any new pod asks for one. */
  seedIps(): void {
    for (const obj of this.pods.list()) {
      if (!isPod(obj) || !obj.status?.podIP) continue;
      const node = this.simulatedNode(obj.spec.nodeName);
      const phase = obj.status.phase;
      if (node?.node.spec?.podCIDR && phase !== "Succeeded" && phase !== "Failed") {
        this.ips.assign({ node: node.spec.name, cidr: node.node.spec.podCIDR, podKey: objectKey(obj), current: obj.status.podIP });
      }
    }
  }

  podsOnNode(name: string): string[] {
    return this.pods.byIndex(BY_NODE, name).map((p) => objectKey(p));
  }
}

function renewed(lease: Unstructured, holder: string, now: number): Unstructured {
  const spec = typeof lease.spec === "object" && lease.spec !== null ? lease.spec : {};
  return { ...lease, spec: { ...spec, holderIdentity: holder, renewTime: microTime(now) } };
}

/** Starts the simulated nodes (see the module header); resolves once both caches are synced. */
export async function startKubelet(options: KubeletOptions): Promise<Component> {
  const kubelet = new Kubelet(options);
  const log = (what: string) => (failure: { key: string; error: unknown; retries: number }) => {
    if (failure.retries > 3) options.logger?.warn(`kubelet: ${what} ${failure.key}: ${String(failure.error)}`);
  };
  const nodeLoop = runController({ clock: options.clock, workers: 2, reconcile: (key) => kubelet.reconcileNode(key), onError: log("node") });
  const podLoop = runController({ clock: options.clock, workers: options.workers ?? 64, reconcile: (key) => kubelet.reconcilePod(key), onError: log("pod") });
  const queueNode = (obj: unknown, options: { pods: boolean }): void => {
    if (!isNode(obj)) return;
    const name = obj.metadata.name ?? "";
    nodeLoop.queue.add(name);
    // A node (re)appearing, going or its kubelet coming back may own pods waiting for it.
    if (options.pods) for (const key of kubelet.podsOnNode(name)) podLoop.queue.add(key);
  };
  const stopped = (obj: unknown): boolean => isNode(obj) && obj.metadata.annotations?.[SIM_KUBELET_STOPPED] === "true";
  kubelet.nodes.addHandlers({
    add: (obj) => queueNode(obj, { pods: true }),
    // Status and heartbeat updates leave the pods alone; only the kubelet stopping or resuming matters.
    update: (old, obj) => queueNode(obj, { pods: stopped(old) !== stopped(obj) }),
    delete: (obj) => queueNode(obj, { pods: true }),
  });
  const queuePod = (obj: unknown): void => {
    if (isPod(obj)) podLoop.queue.add(objectKey(obj));
  };
  try {
    await kubelet.nodes.start();
    await kubelet.pods.start();
    kubelet.seedIps();
    kubelet.volumes.requeue = (key) => podLoop.queue.add(key);
    // After seeding: handlers replay the cached pods, so no pod is given an address in use.
    kubelet.pods.addHandlers({ add: queuePod, update: (_old, obj) => queuePod(obj), delete: queuePod });
  } catch (err) {
    kubelet.nodes.stop();
    kubelet.pods.stop();
    await Promise.all([nodeLoop.stop(), podLoop.stop(), kubelet.volumes.stop()]);
    throw err;
  }
  return {
    name: KUBELET_COMPONENT,
    async stop() {
      kubelet.nodes.stop();
      kubelet.pods.stop();
      await Promise.all([nodeLoop.stop(), podLoop.stop()]);
      await kubelet.volumes.stop();
    },
  };
}
