// Table tests for StatefulSet ordering decisions (planStatefulSet is pure).
import type { V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { planStatefulSet } from "../../../../orchestrator/controllers/statefulset/plan.js";

const rev = (name: string) => ({ name, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: name }] } } });

function set(replicas: number, extra: Partial<NonNullable<V1StatefulSet["spec"]>> = {}): V1StatefulSet {
  return {
    metadata: { name: "web", namespace: "default", uid: "u1" },
    spec: { replicas, serviceName: "web", selector: { matchLabels: { app: "web" } }, template: {}, volumeClaimTemplates: [{ metadata: { name: "data" }, spec: {} }], ...extra },
  };
}

function pod(ordinal: number, state: "ready" | "pending" | "failed", revision = "r1"): V1Pod {
  return {
    metadata: { name: `web-${ordinal}`, labels: { app: "web", "controller-revision-hash": revision } },
    status: state === "ready" ? { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } : { phase: state === "failed" ? "Failed" : "Pending" },
  };
}

type Case = { name: string; set: V1StatefulSet; pods: V1Pod[]; update?: string; create: string[]; delete: string[] };

const cases: Case[] = [
  { name: "empty: create web-0 only", set: set(3), pods: [], create: ["web-0"], delete: [] },
  { name: "web-0 pending: wait", set: set(3), pods: [pod(0, "pending")], create: [], delete: [] },
  { name: "web-0 ready: create web-1", set: set(3), pods: [pod(0, "ready")], create: ["web-1"], delete: [] },
  { name: "Parallel: create all missing", set: set(3, { podManagementPolicy: "Parallel" }), pods: [], create: ["web-0", "web-1", "web-2"], delete: [] },
  { name: "scale down: highest ordinal first, one at a time", set: set(1), pods: [pod(0, "ready"), pod(1, "ready"), pod(2, "ready")], create: [], delete: ["web-2"] },
  { name: "scale down waits while a lower pod is unhealthy", set: set(1), pods: [pod(0, "pending"), pod(1, "ready")], create: [], delete: [] },
  { name: "failed pod is deleted to be recreated", set: set(2), pods: [pod(0, "failed"), pod(1, "ready")], create: [], delete: ["web-0"] },
  { name: "rolling update: highest ordinal first", set: set(3), pods: [pod(0, "ready"), pod(1, "ready"), pod(2, "ready")], update: "r2", create: [], delete: ["web-2"] },
  { name: "rolling update: next below once the top is updated", set: set(3), pods: [pod(0, "ready"), pod(1, "ready"), pod(2, "ready", "r2")], update: "r2", create: [], delete: ["web-1"] },
  {
    name: "partition stops the update",
    set: set(3, { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } }),
    pods: [pod(0, "ready"), pod(1, "ready"), pod(2, "ready", "r2")],
    update: "r2",
    create: [],
    delete: [],
  },
  { name: "OnDelete never deletes for an update", set: set(2, { updateStrategy: { type: "OnDelete" } }), pods: [pod(0, "ready"), pod(1, "ready")], update: "r2", create: [], delete: [] },
];

describe("planStatefulSet", () => {
  it.each(cases)("$name", (c) => {
    const plan = planStatefulSet(c.set, { pods: c.pods, claims: new Set(), currentRevision: rev("r1"), updateRevision: rev(c.update ?? "r1"), now: 0 });
    expect(plan.createPods.map((p) => p.metadata?.name)).toEqual(c.create);
    expect(plan.deletePods.map((p) => p.metadata?.name)).toEqual(c.delete);
  });

  it("creates the claims of a new pod and uses the current revision below the partition", () => {
    const s = set(2, { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } }, podManagementPolicy: "Parallel" });
    const plan = planStatefulSet(s, { pods: [], claims: new Set(["data-web-1"]), currentRevision: rev("r1"), updateRevision: rev("r2"), now: 0 });
    expect(plan.createClaims.map((c) => c.metadata?.name)).toEqual(["data-web-0"]);
    expect(plan.createPods.map((p) => p.spec?.containers[0]?.image)).toEqual(["r1", "r2"]);
    expect(plan.createPods[0].spec?.volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "data-web-0" } }]);
  });

  it("deletes claims of scaled-away ordinals only when whenScaled is Delete", () => {
    const claims = new Set(["data-web-0", "data-web-1", "data-web-2", "other-web-5"]);
    const base = { pods: [pod(0, "ready"), pod(2, "ready")], claims, currentRevision: rev("r1"), updateRevision: rev("r1"), now: 0 };
    expect(planStatefulSet(set(1), base).deleteClaims).toEqual([]);
    const plan = planStatefulSet(set(1, { persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete", whenDeleted: "Retain" } }), base);
    expect(plan.deleteClaims).toEqual(["data-web-1"]);
  });
});
