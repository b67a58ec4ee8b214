// Live objects of every app, one informer per kind (label-selected on the instance label, all
// namespaces), started the first time an app declares that kind. It serves two needs: finding
// what an app owns without listing every kind on every reconcile, and waking the app whose
// object someone changed (self-heal, health updates) within a watch event's latency.
import type { Clock } from "../core/clock.js";
import { Informer, splitApiVersion, type KubeClient, type TypeRef, type Unstructured } from "../kube/client/index.js";
import { INSTANCE_LABEL } from "./application/types.js";
import { isOwnedBy, ownerKeyOf, type Owner } from "./sync/resources.js";

export interface LiveIndexOptions {
  client: KubeClient;
  clock?: Clock;
  /** Called with `APPNAMESPACE/APPNAME` when one of its objects is added, changed or deleted. */
  onChange: (appKey: string) => void;
  onError?: (err: unknown) => void;
}

export class LiveIndex {
  private readonly informers = new Map<string, { informer: Informer; started: Promise<void> }>();

  constructor(private readonly options: LiveIndexOptions) {}

  /** Starts an informer for each kind not yet watched; resolves once all are synced. */
  async ensure(types: readonly TypeRef[]): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const type of types) {
      const key = kindKey(type);
      let entry = this.informers.get(key);
      if (!entry) entry = this.start(key, type);
      waits.push(entry.started);
    }
    await Promise.all(waits);
  }

  private start(key: string, type: TypeRef): { informer: Informer; started: Promise<void> } {
    const informer = new Informer(this.options.client, type, {
      allNamespaces: true,
      labelSelector: INSTANCE_LABEL,
      clock: this.options.clock,
      onError: this.options.onError,
    });
    const notify = (obj: Unstructured): void => {
      const owner = ownerKeyOf(obj);
      if (owner) this.options.onChange(owner);
    };
    informer.addHandlers({ add: notify, update: (_old, obj) => notify(obj), delete: notify });
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

  /** Every cached object owned by `owner`, across the kinds watched so far. */
  owned(owner: Owner): Unstructured[] {
    const out: Unstructured[] = [];
    for (const { informer } of this.informers.values()) {
      if (!informer.hasSynced()) continue;
      for (const obj of informer.list()) if (isOwnedBy(obj, owner)) out.push(obj);
    }
    return out;
  }

  /** The cached object, when its kind is watched and synced. */
  cached(type: TypeRef, namespace: string | undefined, name: string): Unstructured | undefined {
    const entry = this.informers.get(kindKey(type));
    if (!entry?.informer.hasSynced()) return undefined;
    return entry.informer.get(namespace ? `${namespace}/${name}` : name);
  }

  stop(): void {
    for (const { informer } of this.informers.values()) informer.stop();
    this.informers.clear();
  }
}

function kindKey(type: TypeRef): string {
  return `${splitApiVersion(type.apiVersion).group}|${type.kind}`;
}
