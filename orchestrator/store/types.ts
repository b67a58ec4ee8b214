// The store contract, shaped after etcd v3 as Kubernetes uses it: one cluster-wide revision
// that increases with every write, per-key create / mod revisions, compare-and-swap on the
// mod revision, prefix ranges with limit and continue, and watch from a revision with a
// bounded history ("compacted" past it). Implementations: embedded (memory + durable log)
// and etcd. The API server is the only user; it stores JSON text under keys like
// "/registry/<group>/<resource>/<namespace>/<name>".

export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the last write to this key; the object's resourceVersion. */
  modRevision: number;
  /** Number of writes since creation (1 on create). */
  version: number;
}

export interface RangeOptions {
  /** At most this many keys (0 or undefined: no limit). */
  limit?: number;
  /** Start at this key (inclusive); used to continue a paged range. */
  startKey?: string;
  /** Read as of this revision (must not be compacted). Default: latest. */
  revision?: number;
}

export interface RangeResult {
  items: KeyValue[];
  /** The store revision the range was read at. */
  revision: number;
  /** True when keys under the prefix remain after the last item. */
  more: boolean;
  /** How many keys remain after the last item, when known. */
  remaining?: number;
}

export type WatchEventType = "put" | "delete";

export interface WatchEvent {
  type: WatchEventType;
  /** For put: the new value. For delete: key with modRevision = the delete's revision. */
  kv: KeyValue;
  /** The value before this event (absent for a create). */
  prevKv?: KeyValue;
}

export interface WatchOptions {
  /** Deliver every event with revision > afterRevision. Default: from now on. */
  afterRevision?: number;
}

export interface Watch {
  /** Stops delivery; resolves when no more events will be delivered. */
  cancel(): Promise<void>;
}

export interface WatchHandlers {
  /**
   * Events arrive in revision order, without gaps, each exactly once. A consumer that cannot
   * keep up (e.g. a client connection applying backpressure) may return a promise: no more
   * events are delivered to it until it settles, and one that falls behind the history window
   * is ended with StoreCompacted through onError.
   */
  onEvents(events: WatchEvent[]): void | Promise<void>;
  /** Delivery has stopped for good (e.g. compacted, store closed, watcher too slow). */
  onError(err: Error): void;
}

export interface PutOptions {
  /** Compare-and-swap: write only when the key's current modRevision equals this. */
  expectedModRevision?: number;
}

export interface Store {
  get(key: string, options?: { revision?: number }): Promise<KeyValue | undefined>;
  /** Keys starting with `prefix`, in key order. */
  range(prefix: string, options?: RangeOptions): Promise<RangeResult>;
  /** Fails with StoreKeyExists when the key exists. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Fails with StoreKeyNotFound when absent, StoreConflict when the CAS fails. */
  update(key: string, value: string, options?: PutOptions): Promise<KeyValue>;
  /** Returns the deleted value; StoreKeyNotFound when absent, StoreConflict when the CAS fails. */
  delete(key: string, options?: PutOptions): Promise<KeyValue>;
  /** Fails with StoreCompacted when afterRevision is older than the history window. */
  watch(prefix: string, options: WatchOptions, handlers: WatchHandlers): Promise<Watch>;
  /** The latest revision. */
  revision(): Promise<number>;
  /** The oldest revision still readable / watchable. */
  compactedRevision(): Promise<number>;
  /** Drops history up to (not including) revision. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
