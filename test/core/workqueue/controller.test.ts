import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import {
  ItemExponentialRateLimiter,
  RateLimitingWorkQueue,
  TerminalError,
  runController,
  type ReconcileFailure,
  type ReconcileResult,
  type RunningController,
} from "../../../core/workqueue/index.js";
import { flush } from "./flush.js";

interface Fixture {
  clock: FakeClock;
  controller: RunningController;
  calls: { key: string; at: number }[];
  failures: ReconcileFailure[];
}

const running: RunningController[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

function start(reconcile: (key: string, attempt: number) => Promise<ReconcileResult | void>, workers = 1): Fixture {
  const clock = new FakeClock(1_000);
  const calls: Fixture["calls"] = [];
  const failures: ReconcileFailure[] = [];
  const queue = new RateLimitingWorkQueue({ clock, rateLimiter: new ItemExponentialRateLimiter() });
  const controller = runController({
    queue,
    workers,
    onError: (f) => failures.push(f),
    reconcile: (key) => {
      calls.push({ key, at: clock.now() });
      return reconcile(key, calls.filter((c) => c.key === key).length);
    },
  });
  running.push(controller);
  return { clock, controller, calls, failures };
}

describe("runController", () => {
  it("backs off a failing key exponentially, then forgets its failures on success", async () => {
    const f = start(async (_key, attempt) => {
      if (attempt <= 3) throw new Error(`boom ${attempt}`);
    });
    f.controller.queue.add("ns/a");
    await flush();
    for (const step of [5, 10, 20]) {
      f.clock.advance(step);
      await flush();
    }
    expect(f.calls.map((c) => c.at - 1_000)).toEqual([0, 5, 15, 35]);
    expect(f.failures.map((x) => x.retries)).toEqual([1, 2, 3]);
    expect(f.controller.queue.numRequeues("ns/a")).toBe(0);
    f.clock.advance(10_000);
    await flush();
    expect(f.calls).toHaveLength(4);
  });

  it("does not retry a TerminalError", async () => {
    const f = start(async () => {
      throw new TerminalError("spec.replicas: must be >= 0, got -1");
    });
    f.controller.queue.add("k");
    await flush();
    f.clock.advance(1_000_000);
    await flush();
    expect(f.calls).toHaveLength(1);
    expect(f.failures).toMatchObject([{ key: "k", terminal: true }]);
  });

  it("requeues after the asked delay", async () => {
    const f = start(async (_key, attempt) => (attempt < 3 ? { requeueAfter: 30_000 } : {}));
    f.controller.queue.add("k");
    await flush();
    f.clock.advance(29_999);
    await flush();
    expect(f.calls).toHaveLength(1);
    f.clock.advance(1);
    await flush();
    f.clock.advance(30_000);
    await flush();
    f.clock.advance(100_000);
    await flush();
    expect(f.calls.map((c) => c.at - 1_000)).toEqual([0, 30_000, 60_000]);
  });

  it("runs different keys in parallel but one key on one worker at a time", async () => {
    const release = new Map<string, () => void>();
    let active = 0;
    let maxActive = 0;
    const f = start(async (key, attempt) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((resolve) => release.set(`${key}#${attempt}`, resolve));
      active--;
    }, 4);
    f.controller.queue.add("a");
    f.controller.queue.add("b");
    await flush();
    expect(f.calls.map((c) => c.key).sort()).toEqual(["a", "b"]);
    f.controller.queue.add("a");
    f.controller.queue.add("a");
    await flush();
    expect(f.calls).toHaveLength(2);
    release.get("a#1")!();
    await flush();
    expect(f.calls.map((c) => c.key)).toEqual(["a", "b", "a"]);
    release.get("a#2")!();
    release.get("b#1")!();
    await flush();
    expect(maxActive).toBe(2);
    await f.controller.queue.idle();
  });

  it("stop waits for the current key and ends the workers", async () => {
    let finish: () => void = () => undefined;
    const f = start(() => new Promise<void>((resolve) => (finish = resolve)), 2);
    f.controller.queue.add("a");
    await flush();
    let stopped = false;
    const stopping = f.controller.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
  });

  it("rejects a bad worker count", () => {
    expect(() => runController({ reconcile: async () => undefined, workers: 0 })).toThrow(/workers must be a positive integer, got 0/);
  });
});
