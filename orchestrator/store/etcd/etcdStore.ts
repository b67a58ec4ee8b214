// The Store over etcd v3: every write is one transaction whose compare gives create-if-absent
// and compare-and-swap on mod_revision; the write's revision comes from the response header.
import { Etcd3, type ICompare, type IKeyValue, type ITxnRequest, type ITxnResponse } from "etcd3";
import type { KeyValue, PutOptions, RangeOptions, RangeResult, Store, Watch, WatchHandlers, WatchOptions } from "../types.js";
import { StoreCompacted, StoreConflict, StoreKeyExists, StoreKeyNotFound, StoreUnavailable } from "../errors.js";
import { isCompactedError, isFutureRevisionError, mapEtcdError } from "./errors.js";
import { KeySpace, prefixEnd } from "./keys.js";
import { startEtcdWatch } from "./watch.js";

export interface EtcdStoreOptions {
  endpoints: string[];
  /** Prepended to every key in etcd, so several clusters can share one etcd (default ""). */
  prefix?: string;
}

export class EtcdStore implements Store {
  private readonly client: Etcd3;
  private readonly keys: KeySpace;
  private readonly endpoints: string[];
  private readonly watches = new Set<Watch>();
  /** A key no object uses, for reads that only want a header or a compaction check (etcd needs a key). */
  private readonly probeKey: Buffer;
  private closed = false;

  constructor(options: EtcdStoreOptions) {
    this.endpoints = options.endpoints;
    this.keys = new KeySpace(options.prefix ?? "");
    this.probeKey = this.keys.encode("\u0000");
    this.client = new Etcd3({
      hosts: options.endpoints,
      dialTimeout: 5_000,
      // A list of many objects easily passes gRPC's 4 MiB default; etcd itself sets no such bound.
      grpcOptions: { "grpc.max_receive_message_length": -1 },
    });
  }

  async get(key: string, options: { revision?: number } = {}): Promise<KeyValue | undefined> {
    const res = await this.call(() => this.client.kv.range({ key: this.keys.encode(key), revision: options.revision }), options.revision);
    return res.kvs.length > 0 ? this.keys.kv(res.kvs[0]) : undefined;
  }

  async range(prefix: string, options: RangeOptions = {}): Promise<RangeResult> {
    const start = options.startKey !== undefined && options.startKey > prefix ? options.startKey : prefix;
    const res = await this.call(
      () =>
        this.client.kv.range({
          key: this.keys.encode(start),
          range_end: prefixEnd(this.keys.encode(prefix)),
          limit: options.limit && options.limit > 0 ? options.limit : undefined,
          revision: options.revision,
        }),
      options.revision,
    );
    const items = res.kvs.map((kv) => this.keys.kv(kv));
    const remaining = Math.max(0, Number(res.count) - items.length);
    const revision = options.revision && options.revision > 0 ? options.revision : Number(res.header.revision);
    return { items, revision, more: res.more, remaining };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const raw = this.keys.encode(key);
    const res = await this.txn({
      compare: [{ key: raw, target: "Create", result: "Equal", create_revision: 0 }],
      success: [{ request_put: { key: raw, value: Buffer.from(value, "utf8") } }],
      failure: [],
    });
    if (!res.succeeded) throw new StoreKeyExists(key);
    const revision = Number(res.header.revision);
    return { key, value, createRevision: revision, modRevision: revision, version: 1 };
  }

  async update(key: string, value: string, options: PutOptions = {}): Promise<KeyValue> {
    const raw = this.keys.encode(key);
    const res = await this.txn({
      compare: [this.guard(raw, options)],
      success: [{ request_put: { key: raw, value: Buffer.from(value, "utf8"), prev_kv: true } }],
      failure: [{ request_range: { key: raw } }],
    });
    if (!res.succeeded) throw this.writeFailure(key, res, options);
    const prev = res.responses[0].response_put.prev_kv;
    const revision = Number(res.header.revision);
    return { key, value, createRevision: Number(prev.create_revision), modRevision: revision, version: Number(prev.version) + 1 };
  }

  async delete(key: string, options: PutOptions = {}): Promise<KeyValue> {
    const raw = this.keys.encode(key);
    const res = await this.txn({
      compare: [this.guard(raw, options)],
      success: [{ request_delete_range: { key: raw, prev_kv: true } }],
      failure: [{ request_range: { key: raw } }],
    });
    if (!res.succeeded) throw this.writeFailure(key, res, options);
    const prev = res.responses[0].response_delete_range.prev_kvs[0];
    if (!prev) throw new StoreKeyNotFound(key);
    return this.keys.kv(prev);
  }

  /** CAS on mod_revision when asked, else "exists" (version > 0). */
  private guard(raw: Buffer, options: PutOptions): ICompare {
    if (options.expectedModRevision !== undefined) {
      return { key: raw, target: "Mod", result: "Equal", mod_revision: options.expectedModRevision };
    }
    return { key: raw, target: "Version", result: "Greater", version: 0 };
  }

  private writeFailure(key: string, res: ITxnResponse, options: PutOptions): Error {
    const current: IKeyValue | undefined = res.responses[0]?.response_range.kvs[0];
    if (!current) return new StoreKeyNotFound(key);
    return new StoreConflict(key, options.expectedModRevision ?? 0, Number(current.mod_revision));
  }

  private txn(request: ITxnRequest): Promise<ITxnResponse> {
    return this.call(() => this.client.kv.txn(request));
  }

  async watch(prefix: string, options: WatchOptions, handlers: WatchHandlers): Promise<Watch> {
    this.assertOpen();
    const after = options.afterRevision;
    if (after !== undefined) await this.checkWatchable(after);
    const watch = await startEtcdWatch({
      client: this.client,
      keys: this.keys,
      prefix,
      afterRevision: after,
      handlers,
      explain: (err, lastRevision) => this.explainWatchError(err, lastRevision),
      onEnd: (w) => this.watches.delete(w),
    });
    this.watches.add(watch);
    return watch;
  }

  /** etcd accepts a compacted start revision and cancels the watch later; answer up front. */
  private async checkWatchable(afterRevision: number): Promise<void> {
    try {
      await this.client.kv.range({ key: this.probeKey, revision: afterRevision + 1, count_only: true });
    } catch (err) {
      if (isFutureRevisionError(err)) return;
      throw mapEtcdError(err, { endpoints: this.endpoints, revision: afterRevision, compacted: await this.compactedRevision() });
    }
  }

  private async explainWatchError(err: Error, lastRevision: number): Promise<Error> {
    const compacted = await this.compactedRevision().catch(() => undefined);
    if (compacted !== undefined && lastRevision + 1 < compacted) {
      return mapEtcdError(new Error("required revision has been compacted"), { endpoints: this.endpoints, revision: lastRevision, compacted });
    }
    return mapEtcdError(err, { endpoints: this.endpoints });
  }

  async revision(): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: this.probeKey, count_only: true }));
    return Number(res.header.revision);
  }

  /** etcd does not report its compacted revision; find the oldest readable one by bisection. */
  async compactedRevision(): Promise<number> {
    let lo = 1;
    let hi = await this.revision();
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.readableAt(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private async readableAt(revision: number): Promise<boolean> {
    try {
      await this.client.kv.range({ key: this.probeKey, revision, count_only: true });
      return true;
    } catch (err) {
      if (isCompactedError(err)) return false;
      throw mapEtcdError(err, { endpoints: this.endpoints });
    }
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.call(() => this.client.kv.compact({ revision, physical: true }), revision);
    } catch (err) {
      // Compacting to where etcd already is (or before) is a no-op, as in the embedded store.
      if (err instanceof StoreCompacted) return;
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const watch of [...this.watches]) await watch.cancel();
    this.client.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable("store is closed");
  }

  private async call<T>(fn: () => Promise<T>, revision?: number): Promise<T> {
    this.assertOpen();
    try {
      return await fn();
    } catch (err) {
      const compacted = isCompactedError(err) ? await this.compactedRevision().catch(() => undefined) : undefined;
      const current = isFutureRevisionError(err) ? await this.revision().catch(() => undefined) : undefined;
      throw mapEtcdError(err, { endpoints: this.endpoints, revision, compacted, current });
    }
  }
}
