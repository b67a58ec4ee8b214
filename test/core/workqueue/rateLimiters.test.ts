import { describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import {
  BucketRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  RateLimitingWorkQueue,
  defaultControllerRateLimiter,
} from "../../../core/workqueue/index.js";

describe("ItemExponentialRateLimiter", () => {
  it.each([
    { name: "client-go defaults", options: {}, failures: 4, want: [5, 10, 20, 40] },
    { name: "capped", options: { baseDelayMs: 100, maxDelayMs: 300 }, failures: 4, want: [100, 200, 300, 300] },
    { name: "default cap is 1000 s", options: {}, failures: 30, want: [...[5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240, 20480, 40960, 81920, 163840, 327680, 655360], ...Array<number>(12).fill(1_000_000)] },
  ])("$name", ({ options, failures, want }) => {
    const l = new ItemExponentialRateLimiter(options);
    const got = Array.from({ length: failures }, () => l.when("k"));
    expect(got).toEqual(want);
    expect(l.numRequeues("k")).toBe(failures);
  });

  it("tracks keys separately and forget restarts from the base", () => {
    const l = new ItemExponentialRateLimiter();
    l.when("a");
    l.when("a");
    expect(l.when("b")).toBe(5);
    l.forget("a");
    expect(l.numRequeues("a")).toBe(0);
    expect(l.when("a")).toBe(5);
  });

  it("does not overflow after many failures", () => {
    const l = new ItemExponentialRateLimiter({ baseDelayMs: 1, maxDelayMs: 10 });
    for (let i = 0; i < 2000; i++) l.when("k");
    expect(l.when("k")).toBe(10);
  });

  it.each([
    { options: { baseDelayMs: 0 } },
    { options: { baseDelayMs: 10, maxDelayMs: 5 } },
  ])("rejects $options", ({ options }) => {
    expect(() => new ItemExponentialRateLimiter(options)).toThrow(RangeError);
  });
});

describe("BucketRateLimiter", () => {
  it("lets a burst through, then spaces tries at 1/qps", () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter({ clock, qps: 2, burst: 2 });
    expect([l.when("a"), l.when("b"), l.when("c"), l.when("d")]).toEqual([0, 0, 500, 1000]);
  });

  it("refills with time, up to the burst", () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter({ clock, qps: 1, burst: 2 });
    l.when("a");
    l.when("b");
    clock.advance(60_000);
    expect([l.when("c"), l.when("d"), l.when("e")]).toEqual([0, 0, 1000]);
  });
});

describe("MaxOfRateLimiter / default", () => {
  it("takes the longest delay", () => {
    const clock = new FakeClock();
    const l = new MaxOfRateLimiter([new ItemExponentialRateLimiter({ baseDelayMs: 1 }), new BucketRateLimiter({ clock, qps: 1, burst: 1 })]);
    expect(l.when("a")).toBe(1);
    expect(l.when("a")).toBe(1000);
  });

  it("the default limiter backs off per key from 5 ms", () => {
    const l = defaultControllerRateLimiter({ clock: new FakeClock() });
    expect([l.when("k"), l.when("k"), l.when("k")]).toEqual([5, 10, 20]);
  });
});

describe("RateLimitingWorkQueue", () => {
  it("adds with the limiter's delay and forget resets it", () => {
    const clock = new FakeClock();
    const q = new RateLimitingWorkQueue({ clock, rateLimiter: new ItemExponentialRateLimiter({ baseDelayMs: 10 }) });
    q.addRateLimited("k");
    clock.advance(9);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    expect(q.numRequeues("k")).toBe(1);
    q.forget("k");
    expect(q.numRequeues("k")).toBe(0);
  });
});
