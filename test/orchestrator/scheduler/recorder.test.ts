import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { EventSpec } from "../../../orchestrator/scheduler/api.js";
import { EventRecorder } from "../../../orchestrator/scheduler/recorder.js";

const pod = (name: string): V1Pod => ({ metadata: { name, namespace: "default" } });
const spec: EventSpec = { type: "Normal", reason: "Scheduled", action: "Binding", message: "m" };

describe("EventRecorder", () => {
  it("writes in the background under its bound and drops what does not fit the queue", async () => {
    const releases: (() => void)[] = [];
    const written: string[] = [];
    const dropped: string[] = [];
    const recorder = new EventRecorder({
      inFlight: 2,
      maxQueued: 3,
      write: async (p) => {
        await new Promise<void>((resolve) => releases.push(resolve));
        written.push(p.metadata?.name ?? "");
      },
      onDropped: (p) => dropped.push(p.metadata?.name ?? ""),
    });
    // Two start at once, three wait, the sixth finds the queue full.
    const all = ["a", "b", "c", "d", "e", "f"].map((n) => recorder.record(pod(n), spec));
    await new Promise((r) => setImmediate(r));
    expect(releases).toHaveLength(2);
    expect(dropped).toEqual(["f"]);
    while (written.length < 5) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    expect(written).toEqual(["a", "b", "c", "d", "e"]);
    // The queue drained: a new event is written, not dropped.
    const late = recorder.record(pod("g"), spec);
    await new Promise((r) => setImmediate(r));
    releases.shift()?.();
    await late;
    expect(written.at(-1)).toBe("g");
  });

  it("passes a failed write back to the caller", async () => {
    const recorder = new EventRecorder({ write: () => Promise.reject(new Error("forbidden")) });
    await expect(recorder.record(pod("x"), spec)).rejects.toThrow("forbidden");
  });
});
