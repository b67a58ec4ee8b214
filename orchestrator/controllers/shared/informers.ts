// The shared caches of the workload controllers: one Informer (list + watch) per kind, opened
// once and read by every controller, with a per-namespace view so a sync reads only its
// namespace. Objects stay plain JSON; the kind checks here are where they become typed.
import type { V1ControllerRevision, V1DaemonSet, V1Deployment, V1Node, V1PersistentVolumeClaim, V1Pod, V1ReplicaSet, V1StatefulSet } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import { Informer, type KubeClient, type Unstructured } from "../../../kube/client/index.js";

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
  }

  get(key: string): KindMap[K] | undefined {
    const obj = this.informer.get(key);
    return obj && isKind(obj, this.kind) ? obj : undefined;
  }

  list(namespace?: string): KindMap[K][] {
    const out: KindMap[K][] = [];
    for (const obj of this.informer.list()) {
      if (namespace !== undefined && obj.metadata.namespace !== namespace) continue;
      if (isKind(obj, this.kind)) out.push(obj);
    }
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
