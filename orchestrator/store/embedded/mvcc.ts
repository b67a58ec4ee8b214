// The multi-version key space. Writes are applied here in revision order as soon as they are
// sequenced (`head`), but readers and watchers only see revisions up to `committed`: in durable
// mode that is the last fsynced revision, so nobody observes a write that a crash could lose.
// CAS checks use the head, which keeps writes linearisable while a group commit is in flight.
import type { KeyValue, RangeOptions, RangeResult, WatchEvent } from "../types.js";
import { StoreCompacted, StoreFutureRevision } from "../errors.js";
import { EventLog } from "./eventLog.js";
import { SortedKeys } from "./sortedKeys.js";

/** One write to a key: its value, or undefined when the write was a delete. */
interface Version {
  revision: number;
  kv: KeyValue | undefined;
}

export interface MvccInit {
  /** Revision of the state being loaded (0 for an empty store). */
  revision: number;
  /** Live keys as of `revision` (from a snapshot). */
  kvs?: Iterable<KeyValue>;
}

export class Mvcc {
  private readonly history = new Map<string, Version[]>();
  private readonly keys = new SortedKeys();
  /** Keys holding more than one version or a tombstone: the only ones compaction must visit. */
  private readonly compactable = new Set<string>();
  readonly events: EventLog;
  head: number;
  committed: number;
  compacted: number;

  constructor(init: MvccInit) {
    this.head = init.revision;
    this.committed = init.revision;
    this.compacted = init.revision;
    this.events = new EventLog(init.revision + 1);
    const sorted = [...(init.kvs ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const kv of sorted) {
      this.history.set(kv.key, [{ revision: kv.modRevision, kv: Object.freeze({ ...kv }) }]);
      this.keys.insert(kv.key);
    }
  }

  /** The newest version of key, committed or not (for CAS and create checks). */
  latest(key: string): KeyValue | undefined {
    const versions = this.history.get(key);
    return versions ? versions[versions.length - 1].kv : undefined;
  }

  put(key: string, value: string): WatchEvent {
    const revision = ++this.head;
    const prevKv = this.latest(key);
    const kv: KeyValue = Object.freeze({
      key,
      value,
      createRevision: prevKv ? prevKv.createRevision : revision,
      modRevision: revision,
      version: prevKv ? prevKv.version + 1 : 1,
    });
    this.record(key, { revision, kv });
    const event: WatchEvent = prevKv ? { type: "put", kv, prevKv } : { type: "put", kv };
    this.events.append(event);
    return event;
  }

  /** Deletes a key the caller checked exists. */
  delete(key: string, prevKv: KeyValue): WatchEvent {
    const revision = ++this.head;
    this.record(key, { revision, kv: undefined });
    const kv: KeyValue = Object.freeze({ key, value: "", createRevision: 0, modRevision: revision, version: 0 });
    const event: WatchEvent = { type: "delete", kv, prevKv };
    this.events.append(event);
    return event;
  }

  private record(key: string, version: Version): void {
    const versions = this.history.get(key);
    if (!versions) {
      this.history.set(key, [version]);
      this.keys.insert(key);
      return;
    }
    versions.push(version);
    this.compactable.add(key);
  }

  /** Validates a read revision; undefined means the latest committed one. */
  readRevision(revision: number | undefined): number {
    if (revision === undefined || revision <= 0) return this.committed;
    if (revision < this.compacted) throw new StoreCompacted(revision, this.compacted);
    if (revision > this.committed) throw new StoreFutureRevision(revision, this.committed);
    return revision;
  }

  get(key: string, revision: number): KeyValue | undefined {
    const versions = this.history.get(key);
    return versions ? visibleAt(versions, revision) : undefined;
  }

  range(prefix: string, options: RangeOptions): RangeResult {
    const revision = this.readRevision(options.revision);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const start = options.startKey !== undefined && options.startKey > prefix ? options.startKey : prefix;
    const items: KeyValue[] = [];
    let remaining = 0;
    for (let i = this.keys.lowerBound(start); ; i++) {
      const key = this.keys.at(i);
      if (key === undefined || !key.startsWith(prefix)) break;
      const versions = this.history.get(key);
      const kv = versions ? visibleAt(versions, revision) : undefined;
      if (!kv) continue;
      if (items.length < limit) items.push(kv);
      else remaining++;
    }
    return { items, revision, more: remaining > 0, remaining };
  }

  /** Drops versions no read at or after `revision` can see, and events before it. */
  compact(revision: number): void {
    const target = Math.min(revision, this.committed);
    if (target <= this.compacted) return;
    const gone = new Set<string>();
    for (const key of this.compactable) {
      const versions = this.history.get(key);
      if (!versions) continue;
      const kept = pruneVersions(versions, target);
      if (kept.length === 0) {
        this.history.delete(key);
        gone.add(key);
        this.compactable.delete(key);
        continue;
      }
      this.history.set(key, kept);
      if (kept.length === 1 && kept[0].kv) this.compactable.delete(key);
    }
    this.keys.removeAll(gone);
    this.compacted = target;
    this.events.trimBefore(target);
  }

  /** Live keys as of a committed revision, captured synchronously for a snapshot. */
  liveAt(revision: number): KeyValue[] {
    const out: KeyValue[] = [];
    for (let i = 0; i < this.keys.size; i++) {
      const key = this.keys.at(i);
      const versions = key === undefined ? undefined : this.history.get(key);
      const kv = versions ? visibleAt(versions, revision) : undefined;
      if (kv) out.push(kv);
    }
    return out;
  }
}

function visibleAt(versions: Version[], revision: number): KeyValue | undefined {
  // Most reads hit the newest or the one before it (a write still being fsynced).
  for (let i = versions.length - 1, steps = 0; i >= 0 && steps < 4; i--, steps++) {
    if (versions[i].revision <= revision) return versions[i].kv;
  }
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (versions[mid].revision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : versions[lo - 1].kv;
}

/** Keeps the version visible at `revision` and everything newer; a leading tombstone is absence. */
function pruneVersions(versions: Version[], revision: number): Version[] {
  let first = 0;
  for (let i = versions.length - 1; i >= 0; i--) {
    if (versions[i].revision <= revision) {
      first = i;
      break;
    }
  }
  let kept = first === 0 ? versions : versions.slice(first);
  if (kept.length > 0 && kept[0].kv === undefined && kept[0].revision <= revision) kept = kept.slice(1);
  return kept;
}
