// Watch delivery. Each watcher keeps a cursor into the shared event log and is fed in batches
// from a scheduled pump, never from the writer's call stack, so a slow consumer cannot stall
// writes. A consumer that returns a promise from onEvents gets no more events until it settles;
// one that falls behind the history window is ended with StoreCompacted, and re-lists.
import type { Watch, WatchEvent, WatchHandlers } from "../types.js";
import { StoreCompacted, StoreUnavailable } from "../errors.js";
import type { Mvcc } from "./mvcc.js";

/** Events handed to one onEvents call at most; also bounds the revisions scanned per turn. */
const MAX_BATCH = 1000;
const MAX_SCAN = 20_000;

interface Watcher {
  prefix: string;
  /** Last revision examined for this watcher. */
  cursor: number;
  handlers: WatchHandlers;
  busy: boolean;
  done: boolean;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private scheduled = false;

  constructor(private readonly mvcc: Mvcc) {}

  get size(): number {
    return this.watchers.size;
  }

  add(prefix: string, afterRevision: number, handlers: WatchHandlers): Watch {
    if (afterRevision + 1 < this.mvcc.events.base) {
      throw new StoreCompacted(afterRevision, this.mvcc.events.base - 1);
    }
    const watcher: Watcher = { prefix, cursor: afterRevision, handlers, busy: false, done: false };
    this.watchers.add(watcher);
    this.schedule();
    return {
      cancel: async () => {
        watcher.done = true;
        this.watchers.delete(watcher);
      },
    };
  }

  /** Called after revisions became committed. */
  notify(): void {
    this.schedule();
  }

  /** Ends every watch (store closing). */
  closeAll(): void {
    for (const watcher of [...this.watchers]) this.end(watcher, new StoreUnavailable("store closed"));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    let behind = false;
    for (const watcher of this.watchers) {
      if (watcher.busy || watcher.done) continue;
      this.feed(watcher);
      if (!watcher.done && !watcher.busy && watcher.cursor < this.mvcc.committed) behind = true;
    }
    if (behind) this.schedule();
  }

  private feed(watcher: Watcher): void {
    const log = this.mvcc.events;
    if (watcher.cursor + 1 < log.base) {
      this.end(watcher, new StoreCompacted(watcher.cursor, log.base - 1));
      return;
    }
    const batch: WatchEvent[] = [];
    const last = Math.min(this.mvcc.committed, watcher.cursor + MAX_SCAN);
    let revision = watcher.cursor;
    while (revision < last && batch.length < MAX_BATCH) {
      revision++;
      const event = log.at(revision);
      if (event && event.kv.key.startsWith(watcher.prefix)) batch.push(event);
    }
    watcher.cursor = revision;
    if (batch.length > 0) this.deliver(watcher, batch);
  }

  private deliver(watcher: Watcher, batch: WatchEvent[]): void {
    let result: unknown;
    try {
      result = watcher.handlers.onEvents(batch);
    } catch (err) {
      this.end(watcher, err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (!isPromiseLike(result)) return;
    watcher.busy = true;
    result.then(
      () => {
        watcher.busy = false;
        this.schedule();
      },
      (err: unknown) => this.end(watcher, err instanceof Error ? err : new Error(String(err))),
    );
  }

  private end(watcher: Watcher, err: Error): void {
    if (watcher.done) return;
    watcher.done = true;
    this.watchers.delete(watcher);
    watcher.handlers.onError(err);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && "then" in value && typeof value.then === "function";
}
