// Keeps a PolicyCache current from the API server's store: one paged list at a revision, then
// a watch from that revision (relisting if the watch ends, e.g. compacted). The API server's
// write listener feeds the same cache before a write's response is sent, so a binding created
// by kubectl already holds for the client's next request; the watch covers writes made by
// other API servers sharing the store (etcd).
import type { Clock } from "../../../core/clock.js";
import type { WriteListener } from "../../apiserver/context.js";
import { isObject, type JsonObject } from "../../apiserver/object.js";
import type { KeyValue, Store, Watch, WatchEvent } from "../../store/types.js";
import { isRbacResource, type PolicyCache, type RbacResource } from "./cache.js";
import { parseBinding, parseRole, RBAC_GROUP } from "./policy.js";

const PREFIX = `/registry/${RBAC_GROUP}/`;
const RELIST_DELAY_MS = 1000;

interface ParsedKey {
  resource: RbacResource;
  namespace?: string;
  name: string;
}

function parseKey(key: string): ParsedKey | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const parts = key.slice(PREFIX.length).split("/");
  const resource = parts[0] ?? "";
  if (!isRbacResource(resource)) return undefined;
  const namespaced = resource === "roles" || resource === "rolebindings";
  if (namespaced && parts.length === 3) return { resource, namespace: parts[1], name: parts[2] ?? "" };
  if (!namespaced && parts.length === 2) return { resource, name: parts[1] ?? "" };
  return undefined;
}

/** Applies one stored object (or its deletion) to the cache. */
export function applyObject(cache: PolicyCache, resource: RbacResource, obj: JsonObject | undefined, ref: Omit<ParsedKey, "resource">, revision: number): void {
  if (!obj) return cache.remove(resource, ref, revision);
  if (resource === "roles" || resource === "clusterroles") return cache.put(resource, parseRole(obj), revision);
  const binding = parseBinding(obj);
  if (binding) cache.put(resource, binding, revision);
  else cache.remove(resource, ref, revision);
}

function applyKv(cache: PolicyCache, kv: KeyValue, deleted: boolean): void {
  const parsed = parseKey(kv.key);
  if (!parsed) return;
  let obj: JsonObject | undefined;
  if (!deleted) {
    const value: unknown = JSON.parse(kv.value);
    if (!isObject(value)) return;
    obj = value;
  }
  applyObject(cache, parsed.resource, obj, parsed, kv.modRevision);
}

export interface PolicySourceOptions {
  store: Store;
  cache: PolicyCache;
  clock: Clock;
  /** Reported when the watch ends and the source relists. */
  onError?: (err: Error) => void;
}

export class PolicySource {
  private watch: Watch | undefined;
  private stopped = false;
  private cancelRetry: (() => void) | undefined;

  constructor(private readonly options: PolicySourceOptions) {}

  /** Resolves once the initial list is in the cache. */
  async start(): Promise<void> {
    const revision = await this.list();
    await this.watchFrom(revision);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRetry?.();
    await this.watch?.cancel();
  }

  /** The API server's write listener: applies its own RBAC writes synchronously. */
  writeListener(): WriteListener {
    return (info, obj, deleted) => {
      if (info.group !== RBAC_GROUP || !isRbacResource(info.resource)) return;
      const m = isObject(obj.metadata) ? obj.metadata : {};
      const ref = { namespace: typeof m.namespace === "string" ? m.namespace : undefined, name: typeof m.name === "string" ? m.name : "" };
      const rv = Number(m.resourceVersion);
      if (!Number.isFinite(rv)) return;
      // A deleted object carries the revision it had; the delete itself came later, so a
      // late watch event for that older value must not bring it back.
      applyObject(this.options.cache, info.resource, deleted ? undefined : obj, ref, deleted ? rv + 0.5 : rv);
    };
  }

  private async list(): Promise<number> {
    const { store, cache } = this.options;
    let startKey: string | undefined;
    let revision: number | undefined;
    const present = new Set<string>();
    for (;;) {
      const page = await store.range(PREFIX, { limit: 500, startKey, revision });
      revision = page.revision;
      for (const kv of page.items) {
        applyKv(cache, kv, false);
        const parsed = parseKey(kv.key);
        if (parsed) present.add(`${parsed.resource}/${parsed.namespace ? `${parsed.namespace}/` : ""}${parsed.name}`);
      }
      const last = page.items[page.items.length - 1];
      if (!page.more || !last) {
        // A relist after a broken watch: objects deleted meanwhile are gone from the list.
        cache.retainOnly(present, revision);
        return revision;
      }
      startKey = `${last.key}\u0000`;
    }
  }

  private async watchFrom(revision: number): Promise<void> {
    if (this.stopped) return;
    this.watch = await this.options.store.watch(PREFIX, { afterRevision: revision }, {
      onEvents: (events: WatchEvent[]) => {
        for (const e of events) applyKv(this.options.cache, e.kv, e.type === "delete");
      },
      onError: (err: Error) => {
        this.options.onError?.(err);
        this.scheduleRelist();
      },
    });
  }

  private scheduleRelist(): void {
    if (this.stopped) return;
    this.cancelRetry = this.options.clock.setTimeout(() => {
      this.start().catch((err: unknown) => {
        this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
        this.scheduleRelist();
      });
    }, RELIST_DELAY_MS);
  }
}
