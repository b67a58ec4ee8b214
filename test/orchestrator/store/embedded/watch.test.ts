// Embedded-only watch behaviour: backpressure from consumers that return a promise, the end of
// a watcher that falls behind the history window, and automatic compaction.
import { describe, expect, it } from "vitest";
import { openEmbeddedStore } from "../../../../orchestrator/store/embedded/index.js";
import { StoreCompacted, StoreUnavailable } from "../../../../orchestrator/store/errors.js";
import type { WatchEvent } from "../../../../orchestrator/store/types.js";
import { EventSink } from "../contract.js";

describe("embedded watch", () => {
  it("holds events back while a consumer's promise is pending, then delivers them in order", async () => {
    const store = await openEmbeddedStore();
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    let firstDelivered: () => void = () => undefined;
    const delivered = new Promise<void>((resolve) => (firstDelivered = resolve));
    const gated = await store.watch("/b/", {}, {
      onEvents: (events: WatchEvent[]) => {
        seen.push(...events.map((e) => e.kv.modRevision));
        firstDelivered();
        return calls++ === 0 ? gate : undefined;
      },
      onError: (err) => {
        throw err;
      },
    });
    const first = await store.create("/b/0", "x");
    await delivered;
    const probe = new EventSink();
    await store.watch("/b/", { afterRevision: first.modRevision }, probe.handlers);
    for (let i = 1; i < 5; i++) await store.create(`/b/${i}`, "x");
    await probe.waitFor(4);
    expect(seen).toEqual([first.modRevision]);
    release();
    await gate;
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => first.modRevision + i));
    await gated.cancel();
    await store.close();
  });

  it("ends a stalled watcher with StoreCompacted once it falls behind the history window, without blocking writers", async () => {
    const store = await openEmbeddedStore({ historyWindow: 20 });
    const errors: Error[] = [];
    await store.watch("/s/", {}, {
      onEvents: () => new Promise<void>(() => undefined),
      onError: (err) => errors.push(err),
    });
    for (let i = 0; i < 100; i++) await store.create(`/s/${i}`, "x");
    const healthy = new EventSink();
    await store.watch("/s/", { afterRevision: (await store.revision()) - 1 }, healthy.handlers);
    await store.create("/s/last", "x");
    await healthy.waitFor(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StoreCompacted);
    await store.close();
  });

  it("compacts automatically to the history window", async () => {
    const store = await openEmbeddedStore({ historyWindow: 10 });
    for (let i = 0; i < 50; i++) await store.create(`/c/${i}`, "x");
    const revision = await store.revision();
    const compacted = await store.compactedRevision();
    expect(compacted).toBeGreaterThanOrEqual(revision - 12);
    expect(compacted).toBeLessThanOrEqual(revision - 10);
    await expect(store.get("/c/0", { revision: 1 })).rejects.toBeInstanceOf(StoreCompacted);
    await store.close();
  });

  it("ends open watches with StoreUnavailable on close and refuses calls after", async () => {
    const store = await openEmbeddedStore();
    const sink = new EventSink();
    await store.watch("/", {}, sink.handlers);
    await store.close();
    expect(sink.error).toBeInstanceOf(StoreUnavailable);
    await expect(store.get("/a")).rejects.toBeInstanceOf(StoreUnavailable);
  });

  it.each([0, -1, 1.5])("rejects historyWindow %s, naming the option", async (historyWindow) => {
    await expect(openEmbeddedStore({ historyWindow })).rejects.toThrow(`historyWindow: expected a positive integer, got ${historyWindow}`);
  });
});
