// The scheduling queue on a FakeClock: order by priority then age, backoff, the unschedulable
// pool and the events that release it, the periodic flush.
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { mayHelp, type ClusterEvent } from "../../../orchestrator/scheduler/events.js";
import { SchedulingQueue } from "../../../orchestrator/scheduler/queue.js";
import { entry, pod } from "./fixture.js";

let queue: SchedulingQueue | undefined;
afterEach(() => queue?.close());

function setup() {
  const clock = new FakeClock(Date.parse("2025-01-01T00:00:00Z"));
  queue = new SchedulingQueue({ clock });
  return { clock, queue };
}

async function drain(q: SchedulingQueue): Promise<string[]> {
  const out: string[] = [];
  while (q.counts().active > 0) {
    const next = await q.pop();
    if (!next) break;
    out.push(next.entry.pod.metadata?.name ?? "");
    q.done(next.entry.key);
  }
  return out;
}

describe("SchedulingQueue", () => {
  it("pops by priority, then age, then name", async () => {
    const { queue } = setup();
    queue.add(entry(pod("young-low", { priority: 0, created: "2025-01-01T00:00:05Z" })));
    queue.add(entry(pod("old-low", { priority: 0, created: "2025-01-01T00:00:01Z" })));
    queue.add(entry(pod("high", { priority: 100, created: "2025-01-01T00:00:09Z" })));
    queue.add(entry(pod("b-same", { priority: 0, created: "2025-01-01T00:00:05Z" })));
    queue.add(entry(pod("negative", { priority: -5, created: "2024-01-01T00:00:00Z" })));
    expect(await drain(queue)).toEqual(["high", "old-low", "b-same", "young-low", "negative"]);
  });

  it("dedupes a pod added twice", async () => {
    const { queue } = setup();
    queue.add(entry(pod("a")));
    queue.add(entry(pod("a")));
    expect(await drain(queue)).toEqual(["a"]);
  });

  it("waits for a pod when empty", async () => {
    const { queue } = setup();
    const next = queue.pop();
    queue.add(entry(pod("late")));
    expect((await next)?.entry.key).toBe("default/late");
  });

  it("keeps an unschedulable pod until a helpful event, then backs off", async () => {
    const { clock, queue } = setup();
    queue.add(entry(pod("p")));
    const popped = await queue.pop();
    if (!popped) throw new Error("no pod");
    queue.requeueUnschedulable(popped, new Set(["NodeResourcesFit"]));
    expect(queue.counts()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    queue.onEvent("AssignedPodAdd"); // does not free resources
    expect(queue.counts().unschedulable).toBe(1);
    queue.onEvent("NodeAdd");
    expect(queue.counts()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    clock.advance(1000);
    expect(queue.counts()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it("sends a pod to backoff, not the unschedulable pool, when an event came during its cycle", async () => {
    const { queue } = setup();
    queue.add(entry(pod("p")));
    const popped = await queue.pop();
    if (!popped) throw new Error("no pod");
    queue.onEvent("NodeAdd");
    queue.requeueUnschedulable(popped, new Set(["NodeResourcesFit"]));
    expect(queue.counts()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
  });

  it("doubles the backoff per attempt up to 10 s", async () => {
    const { clock, queue } = setup();
    queue.add(entry(pod("p")));
    const waits: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const popped = await queue.pop();
      if (!popped) throw new Error("no pod");
      queue.onEvent("NodeAdd"); // straight to backoff
      queue.requeueUnschedulable(popped, new Set());
      let waited = 0;
      while (queue.counts().active === 0) {
        clock.advance(1000);
        waited += 1000;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it("retries unschedulable pods periodically without events (5 min)", async () => {
    const { clock, queue } = setup();
    queue.add(entry(pod("p")));
    const popped = await queue.pop();
    if (!popped) throw new Error("no pod");
    queue.requeueUnschedulable(popped, new Set(["NodeAffinity"]));
    clock.advance(4 * 60_000);
    expect(queue.counts().unschedulable).toBe(1);
    clock.advance(60_000);
    expect(queue.counts().active).toBe(1);
  });

  it("an update of a waiting pod makes it active again; a delete drops it", async () => {
    const { queue } = setup();
    queue.add(entry(pod("p")));
    const popped = await queue.pop();
    if (!popped) throw new Error("no pod");
    queue.requeueUnschedulable(popped, new Set(["NodeAffinity"]));
    queue.add(entry(pod("p", { labels: { changed: "yes" } })));
    expect(queue.counts().active).toBe(1);
    queue.delete("default/p");
    expect(queue.counts().active).toBe(0);
  });
});

describe("mayHelp", () => {
  const table: [ClusterEvent, string[], boolean][] = [
    ["NodeAdd", ["NodeAffinity"], true],
    ["AssignedPodAdd", ["NodeAffinity"], false],
    ["AssignedPodDelete", ["NodeResourcesFit"], true],
    ["AssignedPodAdd", ["InterPodAffinity"], true],
    ["ClaimChange", ["VolumeBinding"], true],
    ["ClaimChange", ["TaintToleration"], false],
    ["ClaimChange", [], true],
  ];
  for (const [event, plugins, want] of table) {
    it(`${event} for ${plugins.join(",") || "(unknown)"} → ${want}`, () => {
      expect(mayHelp(event, new Set(plugins))).toBe(want);
    });
  }
});
