// The Store contract, run against every implementation (embedded in memory, embedded durable,
// etcd). Tests never assume absolute revisions: etcd starts at 1 and shares its counter.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store, Watch, WatchEvent } from "../../../orchestrator/store/types.js";
import {
  StoreCompacted,
  StoreConflict,
  StoreKeyExists,
  StoreKeyNotFound,
} from "../../../orchestrator/store/errors.js";

export interface StoreFixture {
  store: Store;
  /** Closes the store and removes what it left behind. */
  dispose(): Promise<void>;
}

/** Collects watch events and lets a test wait for a number of them. */
export class EventSink {
  readonly events: WatchEvent[] = [];
  error: Error | undefined;
  private waiters: { count: number; resolve: () => void }[] = [];

  readonly handlers = {
    onEvents: (events: WatchEvent[]): void => {
      this.events.push(...events);
      this.wake();
    },
    onError: (err: Error): void => {
      this.error = err;
      this.wake();
    },
  };

  waitFor(count: number): Promise<void> {
    if (this.events.length >= count || this.error) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.events.length < w.count && !this.error) return true;
      w.resolve();
      return false;
    });
  }

  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.kv.key}=${e.kv.value}@${e.kv.modRevision}`);
  }
}

async function fill(store: Store, prefix: string, names: string[]): Promise<void> {
  for (const name of names) await store.create(`${prefix}${name}`, `v-${name}`);
}

export function describeStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    const watches: Watch[] = [];

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      for (const w of watches.splice(0)) await w.cancel();
      await fixture.dispose();
    });

    it("creates a key with create = mod revision and version 1, at the new store revision", async () => {
      const before = await store.revision();
      const kv = await store.create("/c/a", "one");
      expect(kv).toEqual({ key: "/c/a", value: "one", createRevision: before + 1, modRevision: before + 1, version: 1 });
      expect(await store.revision()).toBe(before + 1);
      expect(await store.get("/c/a")).toEqual(kv);
      expect(await store.get("/c/missing")).toBeUndefined();
    });

    it("refuses to create a key that exists", async () => {
      await store.create("/c/a", "one");
      await expect(store.create("/c/a", "two")).rejects.toBeInstanceOf(StoreKeyExists);
      expect((await store.get("/c/a"))?.value).toBe("one");
    });

    it("counts one cluster-wide revision across keys and versions per key", async () => {
      const a = await store.create("/c/a", "1");
      const b = await store.create("/c/b", "1");
      const a2 = await store.update("/c/a", "2");
      expect(b.modRevision).toBe(a.modRevision + 1);
      expect(a2).toMatchObject({ createRevision: a.modRevision, modRevision: a.modRevision + 2, version: 2 });
    });

    it("updates with compare-and-swap on modRevision", async () => {
      const a = await store.create("/c/a", "1");
      const a2 = await store.update("/c/a", "2", { expectedModRevision: a.modRevision });
      const err = await store.update("/c/a", "3", { expectedModRevision: a.modRevision }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreConflict);
      expect(err).toMatchObject({ key: "/c/a", expected: a.modRevision, actual: a2.modRevision });
      expect((await store.get("/c/a"))?.value).toBe("2");
      await expect(store.update("/c/none", "x")).rejects.toBeInstanceOf(StoreKeyNotFound);
    });

    it("lets exactly one of many concurrent CAS updates win", async () => {
      const a = await store.create("/c/a", "0");
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.update("/c/a", `w${i}`, { expectedModRevision: a.modRevision })),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(StoreConflict);
    });

    it("deletes, returning the old value, with CAS, and re-creates from version 1", async () => {
      const a = await store.create("/c/a", "1");
      await expect(store.delete("/c/a", { expectedModRevision: a.modRevision - 1 })).rejects.toBeInstanceOf(StoreConflict);
      expect(await store.delete("/c/a", { expectedModRevision: a.modRevision })).toEqual(a);
      expect(await store.get("/c/a")).toBeUndefined();
      await expect(store.delete("/c/a")).rejects.toBeInstanceOf(StoreKeyNotFound);
      const again = await store.create("/c/a", "2");
      expect(again).toMatchObject({ version: 1, createRevision: again.modRevision });
      expect(again.modRevision).toBe(a.modRevision + 2);
    });

    it("ranges over a prefix in key order, excluding neighbours", async () => {
      await fill(store, "/r/", ["b", "a", "c/x"]);
      await store.create("/rb", "neighbour");
      await store.create("/q", "before");
      const result = await store.range("/r/");
      expect(result.items.map((kv) => kv.key)).toEqual(["/r/a", "/r/b", "/r/c/x"]);
      expect(result.more).toBe(false);
      expect(result.revision).toBe(await store.revision());
      expect((await store.range("/none/")).items).toEqual([]);
    });

    it("pages a range with limit and continue (startKey)", async () => {
      const names = Array.from({ length: 7 }, (_, i) => `k${i}`);
      await fill(store, "/p/", names);
      const seen: string[] = [];
      let startKey: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await store.range("/p/", { limit: 3, startKey });
        seen.push(...result.items.map((kv) => kv.key));
        if (!result.more) break;
        expect(result.remaining).toBe(7 - seen.length);
        startKey = `${result.items[result.items.length - 1].key}\u0000`;
      }
      expect(seen).toEqual(names.map((n) => `/p/${n}`));
    });

    it("reads a past revision: old values, and keys deleted since", async () => {
      const a = await store.create("/h/a", "1");
      await store.create("/h/b", "1");
      const at = await store.revision();
      await store.update("/h/a", "2");
      await store.delete("/h/b");
      await store.create("/h/c", "1");
      expect((await store.get("/h/a", { revision: a.modRevision }))?.value).toBe("1");
      const past = await store.range("/h/", { revision: at });
      expect(past.revision).toBe(at);
      expect(past.items.map((kv) => `${kv.key}=${kv.value}`)).toEqual(["/h/a=1", "/h/b=1"]);
      const now = await store.range("/h/");
      expect(now.items.map((kv) => `${kv.key}=${kv.value}`)).toEqual(["/h/a=2", "/h/c=1"]);
    });

    it("watches from now: puts, updates and deletes with prevKv, filtered by prefix", async () => {
      const sink = new EventSink();
      watches.push(await store.watch("/w/", {}, sink.handlers));
      const a = await store.create("/w/a", "1");
      await store.create("/other", "x");
      const a2 = await store.update("/w/a", "2");
      const del = await store.delete("/w/a");
      await sink.waitFor(3);
      expect(sink.events.map((e) => e.type)).toEqual(["put", "put", "delete"]);
      expect(sink.events[0].kv).toEqual(a);
      expect(sink.events[0].prevKv).toBeUndefined();
      expect(sink.events[1].kv).toEqual(a2);
      expect(sink.events[1].prevKv).toEqual(a);
      expect(sink.events[2].kv).toMatchObject({ key: "/w/a", modRevision: a2.modRevision + 1 });
      expect(sink.events[2].prevKv).toEqual(del);
    });

    it("watches from a past revision, replaying history then live events", async () => {
      const start = await store.revision();
      await fill(store, "/w/", ["a", "b"]);
      await store.update("/w/a", "2");
      const sink = new EventSink();
      watches.push(await store.watch("/w/", { afterRevision: start + 1 }, sink.handlers));
      await store.create("/w/c", "1");
      await sink.waitFor(3);
      expect(sink.summary()).toEqual([
        `put /w/b=v-b@${start + 2}`,
        `put /w/a=2@${start + 3}`,
        `put /w/c=1@${start + 4}`,
      ]);
    });

    it("delivers concurrent writes to every watcher in order, gap-free, exactly once", async () => {
      const start = await store.revision();
      const sinks = [new EventSink(), new EventSink(), new EventSink()];
      for (const sink of sinks) watches.push(await store.watch("/g/", { afterRevision: start }, sink.handlers));
      const writes = Array.from({ length: 200 }, (_, i) => store.create(`/g/${i % 50}/${i}`, String(i)));
      await Promise.all(writes);
      for (const sink of sinks) {
        await sink.waitFor(200);
        const revisions = sink.events.map((e) => e.kv.modRevision);
        expect(revisions).toEqual(Array.from({ length: 200 }, (_, i) => start + 1 + i));
      }
      expect(sinks[1].summary()).toEqual(sinks[0].summary());
    });

    it("stops delivering after cancel", async () => {
      const sink = new EventSink();
      const watch = await store.watch("/x/", {}, sink.handlers);
      await store.create("/x/a", "1");
      await sink.waitFor(1);
      await watch.cancel();
      await store.create("/x/b", "1");
      const probe = new EventSink();
      watches.push(await store.watch("/x/", { afterRevision: (await store.revision()) - 1 }, probe.handlers));
      await probe.waitFor(1);
      expect(sink.summary()).toHaveLength(1);
    });

    it("compacts: older reads and watches fail with StoreCompacted, newer ones work", async () => {
      await store.create("/k/a", "1");
      await store.update("/k/a", "2");
      const keep = (await store.update("/k/a", "3")).modRevision;
      await store.update("/k/a", "4");
      await store.compact(keep);
      expect(await store.compactedRevision()).toBeGreaterThanOrEqual(keep);
      await expect(store.get("/k/a", { revision: keep - 1 })).rejects.toBeInstanceOf(StoreCompacted);
      await expect(store.range("/k/", { revision: keep - 2 })).rejects.toBeInstanceOf(StoreCompacted);
      expect((await store.get("/k/a", { revision: keep }))?.value).toBe("3");
      await expect(store.watch("/k/", { afterRevision: keep - 3 }, new EventSink().handlers)).rejects.toBeInstanceOf(
        StoreCompacted,
      );
      const sink = new EventSink();
      watches.push(await store.watch("/k/", { afterRevision: keep }, sink.handlers));
      await sink.waitFor(1);
      expect(sink.summary()).toEqual([`put /k/a=4@${keep + 1}`]);
    });
  });
}
