// Live objects of every app, one informer per kind (label-selected on the instance label, all
// namespaces), started the first time an app declares that kind. It serves three needs:
// reading an app's live state without a GET per object on every refresh (Argo CD's cluster
// cache), finding what an app owns without walking every kind (an index by owner), and waking
// the app whose object someone changed (self-heal, health updates) within a watch event's
// latency. Endpoints (which the app does not label) have an unselected informer of their own,
// started the first time a Service's health needs them.
import type { Clock } from "../core/clock.js";
import { Informer, objectKey, splitApiVersion, type KubeClient, type TypeRef, type Unstructured } from "../kube/client/index.js";
import { INSTANCE_LABEL } from "./application/types.js";
import { isOwnedBy, ownerKeyOf, type Owner } from "./sync/resources.js";

export interface LiveIndexOptions {
  client: KubeClient;
  clock?: Clock;
  /** Called with `APPNAMESPACE/APPNAME` when one of its objects is added, changed or deleted. */
  onChange: (appKey: string) => void;
  onError?: (err: unknown) => void;
}

interface Entry {
  informer: Informer;
  started: Promise<void>;
}

/** What the cache knows of one object: it, its absence (the kind is watched and synced), or nothing. */
export type CachedLookup = { known: true; object: Unstructured | undefined } | { known: false };

export class LiveIndex {
  private readonly informers = new Map<string, Entry>();
  /** Owner key → (kind|namespace/name → object), across every watched kind. */
  private readonly byOwner = new Map<string, Map<string, Unstructured>>();
  private endpointsEntry?: Entry;
  /** Once stopped, no informer starts again: a leaked watch would keep the process alive. */
  private stopped = false;

  constructor(private readonly options: LiveIndexOptions) {}

  /** Starts an informer for each kind not yet watched; resolves once all are synced. */
  async ensure(types: readonly TypeRef[]): Promise<void> {
    if (this.stopped) throw new Error("live index stopped");
    const waits: Promise<void>[] = [];
    for (const type of types) {
      const key = kindKey(type);
      let entry = this.informers.get(key);
      if (!entry) entry = this.start(key, type);
      waits.push(entry.started);
    }
    await Promise.all(waits);
  }

  private start(key: string, type: TypeRef): Entry {
    const informer = new Informer(this.options.client, type, {
      allNamespaces: true,
      labelSelector: INSTANCE_LABEL,
      clock: this.options.clock,
      onError: this.options.onError,
    });
    const file = (obj: Unstructured, present: boolean): void => {
      const owner = ownerKeyOf(obj);
      if (!owner) return;
      this.fileOwned(owner, `${key}|${objectKey(obj)}`, present ? obj : undefined);
      this.options.onChange(owner);
    };
    informer.addHandlers({
      add: (obj) => file(obj, true),
      update: (old, obj) => {
        const before = ownerKeyOf(old);
        if (before && before !== ownerKeyOf(obj)) file(old, false);
        file(obj, true);
      },
      delete: (obj) => file(obj, false),
    });
    const started = informer.start().catch((err: unknown) => {
      // A kind the server does not serve (yet): forget it so a later ensure tries again.
      this.informers.delete(key);
      informer.stop();
      throw err;
    });
    const entry = { informer, started };
    this.informers.set(key, entry);
    return entry;
  }

  private fileOwned(owner: string, key: string, obj: Unstructured | undefined): void {
    let objects = this.byOwner.get(owner);
    if (obj) {
      if (!objects) this.byOwner.set(owner, (objects = new Map()));
      objects.set(key, obj);
    } else if (objects) {
      objects.delete(key);
      if (objects.size === 0) this.byOwner.delete(owner);
    }
  }

  /** Every cached object owned by `owner`, across the kinds watched so far. */
  owned(owner: Owner): Unstructured[] {
    const objects = this.byOwner.get(`${owner.namespace}/${owner.name}`);
    if (!objects) return [];
    return [...objects.values()].filter((obj) => isOwnedBy(obj, owner));
  }

  /** The cached object, when its kind is watched and synced. */
  cached(type: TypeRef, namespace: string | undefined, name: string): Unstructured | undefined {
    const lookup = this.lookup(type, namespace, name);
    return lookup.known ? lookup.object : undefined;
  }

  /**
   * What the cache says of one object. Absent means "not labelled as any app's": the caller
   * still has to GET it to tell a missing object from one the app has not adopted yet.
   */
  lookup(type: TypeRef, namespace: string | undefined, name: string): CachedLookup {
    const entry = this.informers.get(kindKey(type));
    if (!entry?.informer.hasSynced()) return { known: false };
    return { known: true, object: entry.informer.get(namespace ? `${namespace}/${name}` : name) };
  }

  /** The Endpoints of a Service from an informer of all Endpoints (started on first use). */
  async endpoints(namespace: string, name: string): Promise<CachedLookup> {
    if (this.stopped) return { known: false };
    if (!this.endpointsEntry) {
      const informer = new Informer(this.options.client, { apiVersion: "v1", kind: "Endpoints" }, { allNamespaces: true, clock: this.options.clock, onError: this.options.onError });
      // A Service's health follows its Endpoints: wake the app that owns the Service.
      const wake = (ep: Unstructured): void => {
        const service = this.cached({ apiVersion: "v1", kind: "Service" }, ep.metadata.namespace, ep.metadata.name ?? "");
        const owner = service && ownerKeyOf(service);
        if (owner) this.options.onChange(owner);
      };
      informer.addHandlers({ add: wake, update: (_old, ep) => wake(ep), delete: wake });
      const entry: Entry = { informer, started: Promise.resolve() };
      entry.started = informer.start().catch((err: unknown) => {
        if (this.endpointsEntry === entry) this.endpointsEntry = undefined;
        informer.stop();
        throw err;
      });
      this.endpointsEntry = entry;
    }
    const entry = this.endpointsEntry;
    await entry.started.catch(() => undefined);
    if (!entry.informer.hasSynced()) return { known: false };
    return { known: true, object: entry.informer.get(`${namespace}/${name}`) };
  }

  stop(): void {
    this.stopped = true;
    for (const { informer } of this.informers.values()) informer.stop();
    this.informers.clear();
    this.byOwner.clear();
    this.endpointsEntry?.informer.stop();
    this.endpointsEntry = undefined;
  }
}

function kindKey(type: TypeRef): string {
  return `${splitApiVersion(type.apiVersion).group}|${type.kind}`;
}
