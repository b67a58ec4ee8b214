// The shared caches of the workload controllers: one Informer (list + watch) per kind, opened
// once and read by every controller, with a per-namespace view so a sync reads only its
// namespace. Objects stay plain JSON; the kind checks here are where they become typed.
import type { V1ControllerRevision, V1DaemonSet, V1Deployment, V1Node, V1PersistentVolumeClaim, V1Pod, V1ReplicaSet, V1StatefulSet } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import { Informer, type KubeClient, type Unstructured } from "../../../kube/client/index.js";
import { controllerRefOf } from "./ownerRefs.js";

export interface KindMap {
  Pod: V1Pod;
  ReplicaSet: V1ReplicaSet;
  Deployment: V1Deployment;
  StatefulSet: V1StatefulSet;
  DaemonSet: V1DaemonSet;
  Node: V1Node;
  ControllerRevision: V1ControllerRevision;
  PersistentVolumeClaim: V1PersistentVolumeClaim;
}

export type WorkloadKind = keyof KindMap;

const API_VERSIONS: Record<WorkloadKind, string> = {
  Pod: "v1",
  ReplicaSet: "apps/v1",
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  Node: "v1",
  ControllerRevision: "apps/v1",
  PersistentVolumeClaim: "v1",
};

/** The server validated the object against its kind; trust the kind field, nothing more. */
export function isKind<K extends WorkloadKind>(obj: Unstructured, kind: K): obj is Unstructured & KindMap[K] {
  return obj.kind === kind;
}

const BY_NAMESPACE = "namespace";
const BY_CONTROLLER = "controller-uid";
const ORPHANS_BY_NAMESPACE = "orphans-by-namespace";

export interface Handlers<T> {
  add?: (obj: T) => void;
  update?: (oldObj: T, newObj: T) => void;
  delete?: (obj: T) => void;
}

/** A typed, read-only view of one kind's informer. */
export class Cache<K extends WorkloadKind> {
  readonly informer: Informer;

  constructor(
    private readonly kind: K,
    client: KubeClient,
    options: { clock: Clock; onError: (err: unknown) => void },
  ) {
    this.informer = new Informer(client, { apiVersion: API_VERSIONS[kind], kind }, { allNamespaces: true, clock: options.clock, onError: options.onError });
    // A sync reads its namespace, its owner's objects and the orphans it may adopt; with
    // 10,000 pods a walk over the cache per sync made every pod update cost O(pods).
    this.informer.addIndex(BY_NAMESPACE, (o) => [o.metadata.namespace ?? ""]);
    this.informer.addIndex(BY_CONTROLLER, (o) => {
      const uid = controllerRefOf(o)?.uid;
      return uid ? [uid] : [];
    });
    this.informer.addIndex(ORPHANS_BY_NAMESPACE, (o) => (controllerRefOf(o) ? [] : [o.metadata.namespace ?? ""]));
  }

  get(key: string): KindMap[K] | undefined {
    const obj = this.informer.get(key);
    return obj && isKind(obj, this.kind) ? obj : undefined;
  }

  list(namespace?: string): KindMap[K][] {
    return this.typed(namespace === undefined ? this.informer.list() : this.informer.byIndex(BY_NAMESPACE, namespace));
  }

  /**
   * What an owner may claim (claimObjects): the objects it controls and the orphans in its
   * namespace. Objects controlled by others are never claimed, so they are left out here.
   */
  claimable(owner: { uid?: string; namespace?: string }): KindMap[K][] {
    const controlled = owner.uid ? this.informer.byIndex(BY_CONTROLLER, owner.uid) : [];
    return this.typed([...controlled, ...this.informer.byIndex(ORPHANS_BY_NAMESPACE, owner.namespace ?? "")]);
  }

  private typed(objects: Unstructured[]): KindMap[K][] {
    const out: KindMap[K][] = [];
    for (const obj of objects) if (isKind(obj, this.kind)) out.push(obj);
    return out;
  }

  on(handlers: Handlers<KindMap[K]>): void {
    const kind = this.kind;
    this.informer.addHandlers({
      add: (o) => (isKind(o, kind) ? handlers.add?.(o) : undefined),
      update: (a, b) => (isKind(a, kind) && isKind(b, kind) ? handlers.update?.(a, b) : undefined),
      delete: (o) => (isKind(o, kind) ? handlers.delete?.(o) : undefined),
    });
  }
}

export class WorkloadInformers {
  readonly pods: Cache<"Pod">;
  readonly replicaSets: Cache<"ReplicaSet">;
  readonly deployments: Cache<"Deployment">;
  readonly statefulSets: Cache<"StatefulSet">;
  readonly daemonSets: Cache<"DaemonSet">;
  readonly nodes: Cache<"Node">;
  readonly revisions: Cache<"ControllerRevision">;
  readonly claims: Cache<"PersistentVolumeClaim">;

  constructor(client: KubeClient, options: { clock: Clock; onError: (err: unknown) => void }) {
    this.pods = new Cache("Pod", client, options);
    this.replicaSets = new Cache("ReplicaSet", client, options);
    this.deployments = new Cache("Deployment", client, options);
    this.statefulSets = new Cache("StatefulSet", client, options);
    this.daemonSets = new Cache("DaemonSet", client, options);
    this.nodes = new Cache("Node", client, options);
    this.revisions = new Cache("ControllerRevision", client, options);
    this.claims = new Cache("PersistentVolumeClaim", client, options);
  }

  private all(): Cache<WorkloadKind>[] {
    return [this.pods, this.replicaSets, this.deployments, this.statefulSets, this.daemonSets, this.nodes, this.revisions, this.claims];
  }

  /** Resolves once every cache holds a full list. */
  async start(): Promise<void> {
    await Promise.all(this.all().map((c) => c.informer.start()));
  }

  stop(): void {
    for (const c of this.all()) c.informer.stop();
  }
}
