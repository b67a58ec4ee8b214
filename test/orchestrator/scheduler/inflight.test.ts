import { describe, expect, it } from "vitest";
import { InFlightLimit } from "../../../orchestrator/scheduler/inflight.js";

describe("InFlightLimit", () => {
  it("runs at most max at once, in arrival order, and hands slots on after failures", async () => {
    const limit = new InFlightLimit(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const job = (i: number, fail = false) =>
      limit.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        if (fail) throw new Error(`job ${i}`);
        return i;
      });
    const all = [job(0, true), job(1), job(2), job(3)].map((p) => p.catch((err: unknown) => String(err)));
    while (order.length < 4) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    releases.forEach((r) => r());
    expect(await Promise.all(all)).toEqual(["Error: job 0", 1, 2, 3]);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("rejects a bound that is not a positive integer", () => {
    expect(() => new InFlightLimit(0)).toThrow(RangeError);
  });
});
