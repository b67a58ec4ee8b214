import { describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { DelayingWorkQueue } from "../../../core/workqueue/index.js";

describe("DelayingWorkQueue", () => {
  it("adds a key only once its delay has passed on the clock", () => {
    const clock = new FakeClock();
    const q = new DelayingWorkQueue({ clock });
    q.addAfter("a", 100);
    expect(q.len()).toBe(0);
    expect(q.delayed()).toBe(1);
    clock.advance(99);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    expect(q.delayed()).toBe(0);
  });

  it("keeps the earliest due time for a key", () => {
    const clock = new FakeClock();
    const q = new DelayingWorkQueue({ clock });
    q.addAfter("a", 100);
    q.addAfter("a", 500);
    clock.advance(100);
    expect(q.len()).toBe(1);
    q.addAfter("b", 500);
    q.addAfter("b", 50);
    clock.advance(50);
    expect(q.len()).toBe(2);
    clock.advance(1000);
    expect(q.len()).toBe(2);
  });

  it("adds at once for a zero or negative delay", () => {
    const q = new DelayingWorkQueue({ clock: new FakeClock() });
    q.addAfter("a", 0);
    q.addAfter("b", -5);
    expect(q.len()).toBe(2);
  });

  it("cancels pending timers on shutDown", () => {
    const clock = new FakeClock();
    const q = new DelayingWorkQueue({ clock });
    q.addAfter("a", 10);
    q.shutDown();
    expect(clock.pending()).toBe(0);
    clock.advance(100);
    expect(q.len()).toBe(0);
  });
});
