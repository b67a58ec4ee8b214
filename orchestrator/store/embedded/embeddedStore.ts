// The embedded Store: an Mvcc key space, a WatchHub, and optionally a CommitLog that makes each
// write durable before it is acknowledged, made visible to readers, or sent to watchers.
import type {
  KeyValue,
  PutOptions,
  RangeOptions,
  RangeResult,
  Store,
  Watch,
  WatchEvent,
  WatchHandlers,
  WatchOptions,
} from "../types.js";
import { StoreConflict, StoreFutureRevision, StoreKeyExists, StoreKeyNotFound, StoreUnavailable } from "../errors.js";
import type { Mvcc } from "./mvcc.js";
import { WatchHub } from "./watchHub.js";

/** Where committed writes go before they are acknowledged (the durable log). */
export interface CommitLog {
  /** Queues one write's record, in revision order; resolves once it is durable. */
  append(event: WatchEvent): Promise<void>;
  close(): Promise<void>;
}

export interface EmbeddedStoreOptions {
  mvcc: Mvcc;
  /** Absent: writes commit at once (in-memory store). */
  log?: CommitLog;
  /** Revisions of history kept for reads at a past revision and watches that resume. */
  historyWindow: number;
  /** Called once the store is closed (releases the data dir lock). */
  onClose?: () => Promise<void>;
}

export class EmbeddedStore implements Store {
  private readonly mvcc: Mvcc;
  private readonly hub: WatchHub;
  private readonly log: CommitLog | undefined;
  private readonly historyWindow: number;
  private readonly onClose: (() => Promise<void>) | undefined;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: EmbeddedStoreOptions) {
    this.mvcc = options.mvcc;
    this.hub = new WatchHub(options.mvcc);
    this.log = options.log;
    this.historyWindow = options.historyWindow;
    this.onClose = options.onClose;
  }

  /** The durable log calls this after each fsync, before acknowledging the writes it covered. */
  markDurable(revision: number): void {
    if (revision <= this.mvcc.committed) return;
    this.mvcc.committed = revision;
    this.afterCommit();
  }

  private afterCommit(): void {
    const slack = Math.max(1, Math.floor(this.historyWindow / 10));
    if (this.mvcc.committed - this.mvcc.compacted > this.historyWindow + slack) {
      this.mvcc.compact(this.mvcc.committed - this.historyWindow);
    }
    this.hub.notify();
  }

  async get(key: string, options: { revision?: number } = {}): Promise<KeyValue | undefined> {
    this.assertOpen();
    return this.mvcc.get(key, this.mvcc.readRevision(options.revision));
  }

  async range(prefix: string, options: RangeOptions = {}): Promise<RangeResult> {
    this.assertOpen();
    return this.mvcc.range(prefix, options);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.assertOpen();
    if (this.mvcc.latest(key)) throw new StoreKeyExists(key);
    return (await this.commit(this.mvcc.put(key, value))).kv;
  }

  async update(key: string, value: string, options: PutOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    this.checkCurrent(key, options);
    return (await this.commit(this.mvcc.put(key, value))).kv;
  }

  async delete(key: string, options: PutOptions = {}): Promise<KeyValue> {
    this.assertOpen();
    const current = this.checkCurrent(key, options);
    await this.commit(this.mvcc.delete(key, current));
    return current;
  }

  private checkCurrent(key: string, options: PutOptions): KeyValue {
    const current = this.mvcc.latest(key);
    if (!current) throw new StoreKeyNotFound(key);
    const expected = options.expectedModRevision;
    if (expected !== undefined && expected !== current.modRevision) {
      throw new StoreConflict(key, expected, current.modRevision);
    }
    return current;
  }

  private async commit(event: WatchEvent): Promise<WatchEvent> {
    if (!this.log) {
      this.mvcc.committed = this.mvcc.head;
      this.afterCommit();
      return event;
    }
    try {
      await this.log.append(event);
    } catch (err) {
      // The write is sequenced in memory but never became visible; refuse everything after it
      // rather than let later writes build on a state the disk does not hold.
      this.failure ??= new StoreUnavailable(`store log write failed: ${errorMessage(err)}`, { cause: err });
      throw this.failure;
    }
    return event;
  }

  async watch(prefix: string, options: WatchOptions, handlers: WatchHandlers): Promise<Watch> {
    this.assertOpen();
    return this.hub.add(prefix, options.afterRevision ?? this.mvcc.committed, handlers);
  }

  async revision(): Promise<number> {
    this.assertOpen();
    return this.mvcc.committed;
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.mvcc.compacted;
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (revision > this.mvcc.committed) throw new StoreFutureRevision(revision, this.mvcc.committed);
    this.mvcc.compact(revision);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.hub.closeAll();
    try {
      await this.log?.close();
    } finally {
      await this.onClose?.();
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new StoreUnavailable("store is closed");
    if (this.failure) throw this.failure;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
