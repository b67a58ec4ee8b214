// Secondary indexes of an informer's cache (client-go's Indexer): each index files an object's
// key under the values its function returns, so "the pods this ReplicaSet controls" is a map
// lookup instead of a walk over every cached pod.
import type { Unstructured } from "./objects.js";

/** The values an object is filed under in one index (client-go's IndexFunc). */
export type IndexFunc = (obj: Unstructured) => string[];

/** Index name → value → keys of the cached objects filed there. */
export class Indices {
  private readonly funcs = new Map<string, IndexFunc>();
  private readonly tables = new Map<string, Map<string, Set<string>>>();

  define(name: string, fn: IndexFunc, objects: Iterable<[string, Unstructured]>): void {
    if (this.funcs.has(name)) throw new Error(`informer index "${name}" is already defined`);
    this.funcs.set(name, fn);
    this.tables.set(name, new Map());
    for (const [key, obj] of objects) this.file(name, key, obj);
  }

  /** Moves `key` from where `old` was filed to where `obj` belongs. */
  update(key: string, old: Unstructured | undefined, obj: Unstructured | undefined): void {
    for (const name of this.funcs.keys()) {
      if (old) this.unfile(name, key, old);
      if (obj) this.file(name, key, obj);
    }
  }

  keys(name: string, value: string): Set<string> | undefined {
    const table = this.tables.get(name);
    if (!table) throw new Error(`informer index "${name}" is not defined`);
    return table.get(value);
  }

  private file(name: string, key: string, obj: Unstructured): void {
    const table = this.tables.get(name);
    if (!table) return;
    for (const value of this.funcs.get(name)?.(obj) ?? []) {
      const keys = table.get(value);
      if (keys) keys.add(key);
      else table.set(value, new Set([key]));
    }
  }

  private unfile(name: string, key: string, obj: Unstructured): void {
    const table = this.tables.get(name);
    for (const value of this.funcs.get(name)?.(obj) ?? []) {
      const keys = table?.get(value);
      keys?.delete(key);
      if (keys?.size === 0) table?.delete(value);
    }
  }
}
