// Renders cached by (commit, path, values, release name, namespace): many apps on one commit
// and every periodic re-compare of an unchanged commit cost no re-render. A commit's tree
// never changes, so entries never go stale; the least recently used are evicted. Failures are
// cached too (a broken commit stays broken) so a bad commit is not re-rendered every poll.
import { createHash } from "node:crypto";
import type { HelmSource } from "../application/types.js";
import { renderSource, type RenderSourceOptions } from "./render.js";
import type { DesiredResource } from "./resource.js";

export interface RenderKey {
  commit: string;
  sourcePath: string;
  helm?: HelmSource;
  releaseName: string;
  namespace: string;
}

export interface RenderCacheOptions {
  /** Entries kept (default 512). */
  maxEntries?: number;
  /** Renders the tree; default renderSource. */
  render?: (options: RenderSourceOptions) => Promise<DesiredResource[]>;
}

type Entry = Promise<DesiredResource[]>;

export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly render: (options: RenderSourceOptions) => Promise<DesiredResource[]>;
  hits = 0;
  misses = 0;

  constructor(options: RenderCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 512;
    this.render = options.render ?? renderSource;
  }

  static keyOf(key: RenderKey): string {
    const values = createHash("sha256").update(JSON.stringify(key.helm ?? null)).digest("hex").slice(0, 16);
    return [key.commit, key.sourcePath, values, key.releaseName, key.namespace].join("\0");
  }

  /** The render of `key`, computing it from `dir` (the commit's tree) on a miss. */
  get(key: RenderKey, dir: () => Promise<string>): Promise<DesiredResource[]> {
    const k = RenderCache.keyOf(key);
    const hit = this.entries.get(k);
    if (hit) {
      this.hits++;
      // Re-insert: Map order is the LRU order.
      this.entries.delete(k);
      this.entries.set(k, hit);
      return hit;
    }
    this.misses++;
    const entry = dir().then((d) =>
      this.render({ dir: d, sourcePath: key.sourcePath, helm: key.helm, releaseName: key.releaseName, namespace: key.namespace }),
    );
    this.entries.set(k, entry);
    // A checkout that failed (not the render) may work next time: do not keep it.
    entry.catch(() => undefined);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return entry;
  }

  /** Forgets an entry whose failure was not the commit's fault (e.g. a fetch error). */
  forget(key: RenderKey): void {
    this.entries.delete(RenderCache.keyOf(key));
  }
}
