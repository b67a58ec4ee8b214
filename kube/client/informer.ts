// An informer: a local cache of one kind (keyed namespace/name) kept current by list + watch,
// with add / update / delete handlers and periodic resync (model: client-go's shared informer,
// minus the sharing). It survives dropped watches (resumed by watchObjects) and 410 Expired
// (the relist is diffed against the cache, so handlers see exactly what changed meanwhile).
// client-node's makeInformer was not used: it stops on errors and leaves restarting to its
// caller, and its typed list function decodes objects into classes.
import { realClock, type Clock } from "../../core/clock.js";
import type { KubeClient } from "./client.js";
import { objectKey, type TypeRef, type Unstructured } from "./objects.js";
import { Indices, type IndexFunc } from "./indices.js";
import { watchObjects, type WatchEvent, type WatchHandle } from "./watch.js";

export interface InformerOptions {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Every so often, fire update(obj, obj) for every cached object (default: never). */
  resyncMs?: number;
  clock?: Clock;
  /** A handler threw, or the watch failed (it retries by itself). */
  onError?: (err: unknown) => void;
}

export interface InformerHandlers {
  add?: (obj: Unstructured) => void;
  update?: (oldObj: Unstructured, newObj: Unstructured) => void;
  delete?: (obj: Unstructured) => void;
}

export class Informer {
  private readonly cache = new Map<string, Unstructured>();
  private readonly indices = new Indices();
  private readonly handlers: InformerHandlers[] = [];
  private readonly clock: Clock;
  private watch?: WatchHandle;
  private cancelResync?: () => void;
  private synced = false;
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    readonly type: TypeRef,
    private readonly options: InformerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
  }

  /** Registers handlers; objects already cached are replayed as adds. */
  addHandlers(handlers: InformerHandlers): void {
    this.handlers.push(handlers);
    if (this.synced) for (const obj of this.cache.values()) this.call(() => handlers.add?.(obj));
  }

  /** Lists, fills the cache and starts watching; resolves once the cache is synced. */
  async start(): Promise<void> {
    const o = this.options;
    const list = await this.client.list(this.type, { namespace: o.namespace, allNamespaces: o.allNamespaces, labelSelector: o.labelSelector, fieldSelector: o.fieldSelector });
    if (this.stopped) return;
    this.replace(list.items);
    this.synced = true;
    this.watch = watchObjects(this.client, this.type, { ...o, clock: this.clock, resourceVersion: list.resourceVersion }, (e) => this.onEvent(e));
    this.scheduleResync();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    this.cancelResync?.();
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** By `namespace/name` (or `name` for cluster-scoped kinds). */
  get(key: string): Unstructured | undefined {
    return this.cache.get(key);
  }

  list(): Unstructured[] {
    return [...this.cache.values()];
  }

  keys(): string[] {
    return [...this.cache.keys()];
  }

  /**
   * Files every cached object (and every later one) under `fn(obj)` in index `name`, so a
   * controller reads "the pods this ReplicaSet controls" without walking the whole cache.
   */
  addIndex(name: string, fn: IndexFunc): void {
    this.indices.define(name, fn, this.cache.entries());
  }

  /** The cached objects filed under `value` in index `name`. */
  byIndex(name: string, value: string): Unstructured[] {
    const out: Unstructured[] = [];
    for (const key of this.indices.keys(name, value) ?? []) {
      const obj = this.cache.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  private onEvent(e: WatchEvent): void {
    if (this.stopped) return;
    if (e.type === "RELISTED") {
      this.replace(e.objects);
      return;
    }
    const key = objectKey(e.object);
    const old = this.cache.get(key);
    if (e.type === "DELETED") {
      this.cache.delete(key);
      this.indices.update(key, old, undefined);
      this.emit("delete", old ?? e.object);
    } else {
      this.cache.set(key, e.object);
      this.indices.update(key, old, e.object);
      if (old) this.emit("update", old, e.object);
      else this.emit("add", e.object);
    }
  }

  /** Makes the cache equal to `objects`, firing the adds, updates and deletes that takes. */
  private replace(objects: Unstructured[]): void {
    const fresh = new Map(objects.map((o) => [objectKey(o), o]));
    for (const [key, old] of this.cache) {
      if (!fresh.has(key)) {
        this.cache.delete(key);
        this.indices.update(key, old, undefined);
        this.emit("delete", old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      this.indices.update(key, old, obj);
      if (!old) this.emit("add", obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit("update", old, obj);
    }
  }

  private scheduleResync(): void {
    const every = this.options.resyncMs;
    if (!every || every <= 0 || this.stopped) return;
    this.cancelResync = this.clock.setTimeout(() => {
      for (const obj of this.cache.values()) this.emit("update", obj, obj);
      this.scheduleResync();
    }, every);
  }

  private emit(kind: "add" | "delete", obj: Unstructured): void;
  private emit(kind: "update", oldObj: Unstructured, newObj: Unstructured): void;
  private emit(kind: keyof InformerHandlers, a: Unstructured, b?: Unstructured): void {
    for (const h of this.handlers) {
      this.call(() => {
        if (kind === "add") h.add?.(a);
        else if (kind === "delete") h.delete?.(a);
        else h.update?.(a, b ?? a);
      });
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.onError?.(err);
    }
  }
}
