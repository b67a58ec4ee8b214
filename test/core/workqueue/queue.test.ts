import { describe, expect, it } from "vitest";
import { WorkQueue } from "../../../core/workqueue/index.js";

describe("WorkQueue", () => {
  it("hands keys out in FIFO order and dedupes waiting keys", async () => {
    const q = new WorkQueue();
    for (const k of ["a", "b", "a", "c", "b"]) q.add(k);
    expect(q.len()).toBe(3);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(["a", "b", "c"]);
  });

  it("never gives a held key to a second worker; a re-add during processing runs after done", async () => {
    const q = new WorkQueue();
    q.add("a");
    const held = await q.get();
    q.add("a");
    q.add("a");
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(held!);
    await Promise.resolve();
    expect(second).toBe("a");
    expect(q.len()).toBe(0);
  });

  it("wakes a waiting getter when a key is added", async () => {
    const q = new WorkQueue();
    const pending = q.get();
    q.add("x");
    expect(await pending).toBe("x");
  });

  it("shutDown resolves waiting getters with undefined and ignores later adds", async () => {
    const q = new WorkQueue();
    const pending = q.get();
    q.shutDown();
    expect(await pending).toBeUndefined();
    q.add("a");
    expect(await q.get()).toBeUndefined();
    expect(q.isShuttingDown()).toBe(true);
  });

  it("idle resolves once nothing waits or is held", async () => {
    const q = new WorkQueue();
    q.add("a");
    let idle = false;
    void q.idle().then(() => (idle = true));
    const k = await q.get();
    await Promise.resolve();
    expect(idle).toBe(false);
    q.done(k!);
    await Promise.resolve();
    expect(idle).toBe(true);
  });
});
