// The key index: every key with visible history, in sorted order, so prefix ranges and paged
// continues are a binary search plus a walk. Keys are compared by UTF-16 code unit (JS `<`),
// which matches etcd's byte order for the ASCII keys the API server writes.

export class SortedKeys {
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  at(index: number): string | undefined {
    return this.keys[index];
  }

  /** Index of the first key >= key. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a key the caller knows is absent; appending past the end (the common case) is O(1). */
  insert(key: string): void {
    const n = this.keys.length;
    if (n === 0 || this.keys[n - 1] < key) {
      this.keys.push(key);
      return;
    }
    this.keys.splice(this.lowerBound(key), 0, key);
  }

  /** Removes many keys in one pass (compaction drops keys in bulk). */
  removeAll(gone: ReadonlySet<string>): void {
    if (gone.size === 0) return;
    this.keys = this.keys.filter((k) => !gone.has(k));
  }
}
