// Expectations and claiming, pure: what keeps a lagging cache from double-creating, and who
// owns which pod.
import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../../../core/clock.js";
import { claimObjects } from "../../../../orchestrator/controllers/shared/claim.js";
import { Expectations } from "../../../../orchestrator/controllers/shared/expectations.js";
import { compareForDeletion } from "../../../../orchestrator/controllers/shared/pods.js";

describe("Expectations", () => {
  it("holds until every create and delete is observed, each delete counted once", () => {
    const e = new Expectations({ clock: new FakeClock() });
    expect(e.satisfied("ns/rs")).toBe(true);
    e.expect("ns/rs", { adds: 2, deletes: ["a", "a", "b"] });
    e.creationObserved("ns/rs");
    e.creationObserved("ns/rs");
    e.deletionObserved("ns/rs", "a");
    e.deletionObserved("ns/rs", "a");
    expect(e.satisfied("ns/rs")).toBe(false);
    e.deletionObserved("ns/rs", "b");
    expect(e.satisfied("ns/rs")).toBe(true);
  });

  it("expires after the TTL on the injected clock", () => {
    const clock = new FakeClock();
    const e = new Expectations({ clock, ttlMs: 1000 });
    e.expect("k", { adds: 1 });
    clock.advance(999);
    expect(e.satisfied("k")).toBe(false);
    clock.advance(2);
    expect(e.satisfied("k")).toBe(true);
  });
});

function pod(name: string, extra: { labels?: Record<string, string>; owner?: string; node?: string; phase?: string; ready?: boolean; created?: string } = {}): V1Pod {
  return {
    metadata: {
      name,
      labels: extra.labels ?? { app: "web" },
      creationTimestamp: new Date(extra.created ?? "2025-01-01T00:00:00Z"),
      ownerReferences: extra.owner ? [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "x", uid: extra.owner, controller: true }] : undefined,
    },
    spec: { containers: [], nodeName: extra.node },
    status: { phase: extra.phase ?? "Running", conditions: [{ type: "Ready", status: extra.ready === false ? "False" : "True" }] },
  };
}

describe("claimObjects", () => {
  it("keeps, adopts, releases and ignores", () => {
    const result = claimObjects(
      [pod("mine"), pod("orphan"), pod("stray", { labels: { app: "other" }, owner: "u1" }), pod("theirs", { owner: "u2" })].map((p, i) =>
        i === 0 ? { ...p, metadata: { ...p.metadata, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "x", uid: "u1", controller: true }] } } : p,
      ),
      { ownerUid: "u1", selector: { matchLabels: { app: "web" } }, ownerDeleting: false },
    );
    expect(result.owned.map((p) => p.metadata?.name)).toEqual(["mine"]);
    expect(result.adopt.map((p) => p.metadata?.name)).toEqual(["orphan"]);
    expect(result.release.map((p) => p.metadata?.name)).toEqual(["stray"]);
  });
});

describe("compareForDeletion", () => {
  it("prefers unscheduled, then pending, then not ready, then newest", () => {
    const pods = [
      pod("old-ready", { node: "n", created: "2025-01-01T00:00:00Z" }),
      pod("new-ready", { node: "n", created: "2025-01-02T00:00:00Z" }),
      pod("not-ready", { node: "n", ready: false }),
      pod("pending", { node: "n", phase: "Pending", ready: false }),
      pod("unscheduled", { phase: "Pending", ready: false }),
    ];
    expect([...pods].sort(compareForDeletion).map((p) => p.metadata?.name)).toEqual(["unscheduled", "pending", "not-ready", "new-ready", "old-ready"]);
  });
});
