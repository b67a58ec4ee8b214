// One Store watch over an etcd3 watcher. etcd delivers each revision's events in order and the
// client resumes from the last seen revision after a reconnect, so delivery stays gap-free;
// a cancellation by the server (usually compaction) ends the watch through onError.
import type { Etcd3, IEvent, IWatchResponse, Watcher } from "etcd3";
import type { Watch, WatchEvent, WatchHandlers } from "../types.js";
import type { KeySpace } from "./keys.js";

export interface EtcdWatchOptions {
  client: Etcd3;
  keys: KeySpace;
  prefix: string;
  afterRevision?: number;
  handlers: WatchHandlers;
  /** Turns a watcher error into the store error to report (needs the last delivered revision). */
  explain(err: Error, lastRevision: number): Promise<Error>;
  onEnd(watch: Watch): void;
}

export async function startEtcdWatch(options: EtcdWatchOptions): Promise<Watch> {
  let builder = options.client.watch().prefix(options.keys.encode(options.prefix)).withPreviousKV();
  if (options.afterRevision !== undefined) builder = builder.startRevision(String(options.afterRevision + 1));
  let lastRevision = options.afterRevision ?? 0;
  let done = false;
  const started: { watcher?: Watcher } = {};
  const watch: Watch = {
    cancel: async () => {
      if (done) return;
      done = true;
      options.onEnd(watch);
      await started.watcher?.cancel();
    },
  };
  const fail = (err: Error): void => {
    if (done) return;
    void watch.cancel().catch(() => undefined);
    void options.explain(err, lastRevision).then((explained) => options.handlers.onError(explained));
  };
  const watcher = await builder.create().catch(async (err: unknown) => {
    throw await options.explain(err instanceof Error ? err : new Error(String(err)), lastRevision);
  });
  watcher.on("data", (res: IWatchResponse) => {
    if (done || res.events.length === 0) return;
    const events = res.events.map((e) => toWatchEvent(options.keys, e));
    lastRevision = events[events.length - 1].kv.modRevision;
    try {
      const result = options.handlers.onEvents(events);
      if (result instanceof Promise) result.catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
    } catch (err) {
      fail(err instanceof Error ? err : new Error(String(err)));
    }
  });
  watcher.on("error", (err: Error) => fail(err));
  started.watcher = watcher;
  return watch;
}

function toWatchEvent(keys: KeySpace, event: IEvent): WatchEvent {
  const kv = keys.kv(event.kv);
  const prevKv = event.prev_kv ? keys.kv(event.prev_kv) : undefined;
  if (event.type === "Delete") {
    const tombstone = { key: kv.key, value: "", createRevision: 0, modRevision: kv.modRevision, version: 0 };
    return prevKv ? { type: "delete", kv: tombstone, prevKv } : { type: "delete", kv: tombstone };
  }
  return prevKv ? { type: "put", kv, prevKv } : { type: "put", kv };
}
