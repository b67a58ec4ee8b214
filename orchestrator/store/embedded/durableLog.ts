// The append-only log with group commit. Writes queue up while an fsync runs and the next
// fsync covers all of them: one disk flush per batch, not per write. A write's promise settles
// only after the fsync covering its record; onDurable runs first, so readers and watchers see
// the write no earlier than its acknowledgement. Every `snapshotEvery` records (or
// `snapshotIntervalMs` after the last snapshot, at the next write) the log rotates to a new
// segment and the state as of the rotation is written as a snapshot; older segments are deleted
// once the snapshot is safely on disk.
import { open, unlink, type FileHandle } from "node:fs/promises";
import type { Clock } from "../../../core/clock.js";
import type { KeyValue, WatchEvent } from "../types.js";
import { StoreUnavailable } from "../errors.js";
import { encodeEvent } from "./codec.js";
import type { CommitLog } from "./embeddedStore.js";
import { listSegments, segmentName, syncDir, writeAll } from "./files.js";
import { frame } from "./framing.js";
import { writeSnapshot } from "./snapshot.js";
import path from "node:path";

export interface DurableLogOptions {
  dir: string;
  /** The last revision already on disk (from recovery). */
  durableRevision: number;
  /** Records in the log since the snapshot (from recovery). */
  recordsSinceSnapshot: number;
  /** Called after each fsync with the newest revision it made durable. */
  onDurable(revision: number): void;
  /** Live keys as of a durable revision, captured synchronously. */
  capture(revision: number): KeyValue[];
  snapshotEvery: number;
  snapshotIntervalMs: number;
  clock: Clock;
  warn(message: string): void;
}

interface Pending {
  record: Buffer;
  revision: number;
  resolve(): void;
  reject(err: Error): void;
}

export class DurableLog implements CommitLog {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private snapshotting: Promise<void> | undefined;
  private snapshotDue: boolean;
  private lastSnapshotAt: number;
  private sinceSnapshot: number;
  private durable: number;
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    private readonly options: DurableLogOptions,
    private handle: FileHandle,
  ) {
    this.durable = options.durableRevision;
    this.sinceSnapshot = options.recordsSinceSnapshot;
    this.snapshotDue = options.recordsSinceSnapshot >= options.snapshotEvery;
    this.lastSnapshotAt = options.clock.now();
  }

  static async open(options: DurableLogOptions): Promise<DurableLog> {
    const handle = await openSegment(options.dir, options.durableRevision + 1);
    return new DurableLog(options, handle);
  }

  append(event: WatchEvent): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new StoreUnavailable("store is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ record: frame(encodeEvent(event)), revision: event.kv.modRevision, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (!this.failure && (this.queue.length > 0 || (this.snapshotDue && !this.snapshotting))) {
        if (this.snapshotDue && !this.snapshotting) await this.rotate();
        if (this.queue.length > 0) await this.flushBatch(this.queue.splice(0));
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.flushing = undefined;
    }
  }

  private async flushBatch(batch: Pending[]): Promise<void> {
    try {
      await writeAll(this.handle, Buffer.concat(batch.map((p) => p.record)));
      await this.handle.datasync();
    } catch (err) {
      this.fail(err, batch);
      return;
    }
    this.durable = batch[batch.length - 1].revision;
    this.sinceSnapshot += batch.length;
    if (
      this.sinceSnapshot >= this.options.snapshotEvery ||
      this.options.clock.now() - this.lastSnapshotAt >= this.options.snapshotIntervalMs
    ) {
      this.snapshotDue = true;
    }
    this.options.onDurable(this.durable);
    for (const pending of batch) pending.resolve();
  }

  /** Starts a new segment at the next revision and snapshots the state as of the last durable one. */
  private async rotate(): Promise<void> {
    const revision = this.durable;
    const next = await openSegment(this.options.dir, revision + 1);
    const previous = this.handle;
    this.handle = next;
    await previous.close();
    const kvs = this.options.capture(revision);
    this.sinceSnapshot = 0;
    this.snapshotDue = false;
    this.lastSnapshotAt = this.options.clock.now();
    this.snapshotting = this.snapshotAndPrune(revision, kvs).finally(() => {
      this.snapshotting = undefined;
    });
  }

  private async snapshotAndPrune(revision: number, kvs: KeyValue[]): Promise<void> {
    const { dir } = this.options;
    try {
      await writeSnapshot(dir, { revision, kvs });
      for (const segment of await listSegments(dir)) {
        if (segment.firstRevision <= revision) await unlink(segment.file);
      }
      await syncDir(dir);
    } catch (err) {
      // The log still holds everything the failed snapshot would have covered.
      this.options.warn(`store snapshot at revision ${revision} in ${dir} failed: ${String(err)}`);
    }
  }

  private fail(err: unknown, batch: Pending[] = []): void {
    this.failure ??= new StoreUnavailable(`store log in ${this.options.dir}: ${String(err)}`, { cause: err });
    for (const pending of [...batch, ...this.queue.splice(0)]) pending.reject(this.failure);
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.snapshotting) {
      await this.flushing;
      await this.snapshotting;
    }
    await this.handle.close();
  }
}

async function openSegment(dir: string, firstRevision: number): Promise<FileHandle> {
  // An existing segment of this name is empty: any record in it would have advanced the revision.
  const handle = await open(path.join(dir, segmentName(firstRevision)), "a");
  await syncDir(dir);
  return handle;
}
