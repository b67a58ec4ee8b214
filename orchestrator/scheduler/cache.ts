// The scheduler's cluster state, kept incrementally from informer events: nodes with their
// assigned pods (plus pods the scheduler has assumed onto a node while their binding is in
// flight), claims, volumes, namespace labels and nominated pods. It is the Snapshot every
// cycle reads, so no cycle re-lists anything. A pod assigned to a node the cache does not
// know yet waits in `orphans` and joins when the node arrives.
import type { V1Namespace, V1Node, V1PersistentVolume, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { addResources, emptyResources } from "../kubelet/resources.js";
import { addPod, newNodeInfo, removePod, withNode } from "./entries.js";
import type { NodeInfo, PodEntry, Resources, Snapshot } from "./types.js";

/** Read-only zero for nodes with no nominated pods (shared, so the hot path allocates nothing). */
const NO_REQUESTS: Resources = Object.freeze({ ...emptyResources(), scalar: Object.freeze({}) });

export class SchedulerCache implements Snapshot {
  private readonly nodeMap = new Map<string, NodeInfo>();
  private sorted: NodeInfo[] | undefined;
  /** pod key → node name, for assigned and assumed pods. */
  private readonly placement = new Map<string, string>();
  private readonly assumed = new Set<string>();
  private readonly orphans = new Map<string, { entry: PodEntry; node: string }>();
  private readonly claims = new Map<string, V1PersistentVolumeClaim>();
  private readonly volumes = new Map<string, V1PersistentVolume>();
  private readonly namespaces = new Map<string, Record<string, string>>();
  /** node name → pods nominated there by preemption, keyed by pod key. */
  private readonly nominated = new Map<string, Map<string, PodEntry>>();

  get nodes(): readonly NodeInfo[] {
    this.sorted ??= [...this.nodeMap.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.sorted;
  }

  get(name: string): NodeInfo | undefined {
    return this.nodeMap.get(name);
  }

  setNode(node: V1Node): void {
    const name = node.metadata?.name ?? "";
    const existing = this.nodeMap.get(name);
    this.nodeMap.set(name, existing ? withNode(existing, node) : newNodeInfo(node));
    this.sorted = undefined;
    const info = this.nodeMap.get(name);
    if (!info || existing) return;
    for (const [key, orphan] of this.orphans) {
      if (orphan.node !== name) continue;
      this.orphans.delete(key);
      addPod(info, orphan.entry);
    }
  }

  deleteNode(name: string): void {
    const info = this.nodeMap.get(name);
    if (!info) return;
    this.nodeMap.delete(name);
    this.sorted = undefined;
    // Pods still bound to a deleted node stay accounted, in case it comes back.
    for (const entry of info.pods.values()) this.orphans.set(entry.key, { entry, node: name });
  }

  /** A pod bound to `node` (confirmed by the API, so any assumption ends). */
  setAssignedPod(entry: PodEntry, node: string): void {
    this.assumed.delete(entry.key);
    this.place(entry, node);
  }

  /** Counts the pod on the node before its binding is confirmed, so the next cycle sees it. */
  assume(entry: PodEntry, node: string): void {
    this.assumed.add(entry.key);
    this.place(entry, node);
  }

  isAssumed(key: string): boolean {
    return this.assumed.has(key);
  }

  /** Undo an assumption whose binding failed. */
  forget(key: string): void {
    if (this.assumed.delete(key)) this.removePod(key);
  }

  removePod(key: string): void {
    this.orphans.delete(key);
    const node = this.placement.get(key);
    if (node === undefined) return;
    this.placement.delete(key);
    const info = this.nodeMap.get(node);
    if (info) removePod(info, key);
  }

  private place(entry: PodEntry, node: string): void {
    this.removePod(entry.key);
    this.placement.set(entry.key, node);
    const info = this.nodeMap.get(node);
    if (info) addPod(info, entry);
    else this.orphans.set(entry.key, { entry, node });
  }

  setNominated(entry: PodEntry, node: string | undefined): void {
    for (const pods of this.nominated.values()) pods.delete(entry.key);
    if (!node) return;
    let pods = this.nominated.get(node);
    if (!pods) this.nominated.set(node, (pods = new Map()));
    pods.set(entry.key, entry);
  }

  nominatedRequests(nodeName: string, priority: number, exceptKey: string): Resources {
    const nominated = this.nominated.get(nodeName);
    // Called for every node every cycle; almost always nothing is nominated there.
    if (!nominated || nominated.size === 0) return NO_REQUESTS;
    const total = emptyResources();
    for (const entry of nominated.values()) {
      if (entry.key !== exceptKey && entry.priority >= priority) addResources(total, entry.requests);
    }
    return total;
  }

  setClaim(claim: V1PersistentVolumeClaim): void {
    this.claims.set(`${claim.metadata?.namespace ?? "default"}/${claim.metadata?.name ?? ""}`, claim);
  }

  deleteClaim(namespace: string, name: string): void {
    this.claims.delete(`${namespace}/${name}`);
  }

  claim(namespace: string, name: string): V1PersistentVolumeClaim | undefined {
    return this.claims.get(`${namespace}/${name}`);
  }

  setVolume(pv: V1PersistentVolume): void {
    this.volumes.set(pv.metadata?.name ?? "", pv);
  }

  deleteVolume(name: string): void {
    this.volumes.delete(name);
  }

  volume(name: string): V1PersistentVolume | undefined {
    return this.volumes.get(name);
  }

  setNamespace(ns: V1Namespace): void {
    this.namespaces.set(ns.metadata?.name ?? "", ns.metadata?.labels ?? {});
  }

  deleteNamespace(name: string): void {
    this.namespaces.delete(name);
  }

  namespaceLabels(namespace: string): Record<string, string> {
    // Namespaces carry kubernetes.io/metadata.name even when the informer has not seen them.
    return this.namespaces.get(namespace) ?? { "kubernetes.io/metadata.name": namespace };
  }
}

/** The snapshot with one node swapped for a what-if copy (preemption's simulation). */
export function withReplacedNode(base: Snapshot, replacement: NodeInfo): Snapshot {
  const nodes = base.nodes.map((n) => (n.name === replacement.name ? replacement : n));
  return {
    nodes,
    get: (name) => (name === replacement.name ? replacement : base.get(name)),
    namespaceLabels: (ns) => base.namespaceLabels(ns),
    nominatedRequests: (node, priority, except) => base.nominatedRequests(node, priority, except),
    claim: (ns, name) => base.claim(ns, name),
    volume: (name) => base.volume(name),
  };
}
