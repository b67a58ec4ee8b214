// Table tests for the pure rollout arithmetic: fenceposts with Kubernetes' rounding, one
// rolling step, proportional scaling, and template hash stability.
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { resolveFenceposts, rollingStep } from "../../../../orchestrator/controllers/deployment/rolling.js";
import { proportionalScale } from "../../../../orchestrator/controllers/deployment/scale.js";
import { templateHash } from "../../../../orchestrator/controllers/deployment/newReplicaSet.js";
import { computeHash } from "../../../../orchestrator/controllers/shared/hash.js";
import { resolveIntOrPercent } from "../../../../orchestrator/controllers/shared/intstr.js";

function deployment(replicas: number, maxSurge: number | string, maxUnavailable: number | string): V1Deployment {
  return { spec: { replicas, selector: {}, template: {}, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } } } };
}

function rs(name: string, replicas: number, available: number, created: string, annotations: Record<string, string> = {}): V1ReplicaSet {
  return { metadata: { name, creationTimestamp: new Date(created), annotations }, spec: { replicas, selector: {} }, status: { replicas, availableReplicas: available } };
}

describe("resolveIntOrPercent / fenceposts", () => {
  it.each([
    [{ v: "25%", total: 10, up: true }, 3],
    [{ v: "25%", total: 10, up: false }, 2],
    [{ v: "50%", total: 3, up: true }, 2],
    [{ v: "50%", total: 3, up: false }, 1],
    [{ v: 2, total: 10, up: false }, 2],
    [{ v: "0%", total: 5, up: true }, 0],
  ])("%o -> %i", (c, want) => {
    expect(resolveIntOrPercent(c.v, c.total, { roundUp: c.up, fallback: 0 })).toBe(want);
  });

  it.each([
    [deployment(10, "25%", "25%"), { maxSurge: 3, maxUnavailable: 2 }],
    [deployment(3, 0, 0), { maxSurge: 0, maxUnavailable: 1 }],
    [deployment(1, "25%", "25%"), { maxSurge: 1, maxUnavailable: 0 }],
    [deployment(4, 1, "50%"), { maxSurge: 1, maxUnavailable: 2 }],
  ])("fenceposts %#", (d, want) => {
    expect(resolveFenceposts(d)).toEqual(want);
  });
});

describe("rollingStep", () => {
  const cases: { name: string; d: V1Deployment; newRS: V1ReplicaSet; old: V1ReplicaSet[]; want: Record<string, number> }[] = [
    { name: "surge 1 grows the new RS by one", d: deployment(3, 1, 0), newRS: rs("new", 0, 0, "2025-01-02"), old: [rs("old", 3, 3, "2025-01-01")], want: { new: 1 } },
    { name: "at surge limit with new pod unavailable: nothing", d: deployment(3, 1, 0), newRS: rs("new", 1, 0, "2025-01-02"), old: [rs("old", 3, 3, "2025-01-01")], want: {} },
    { name: "new pod available: shrink old by one", d: deployment(3, 1, 0), newRS: rs("new", 1, 1, "2025-01-02"), old: [rs("old", 3, 3, "2025-01-01")], want: { old: 2 } },
    { name: "maxUnavailable 1, no surge: shrink old first", d: deployment(3, 0, 1), newRS: rs("new", 0, 0, "2025-01-02"), old: [rs("old", 3, 3, "2025-01-01")], want: { old: 2 } },
    { name: "unhealthy old pods go first, within the unavailability budget", d: deployment(4, 0, 1), newRS: rs("new", 1, 1, "2025-01-03"), old: [rs("a", 2, 0, "2025-01-01"), rs("b", 1, 1, "2025-01-02")], want: { a: 1 } },
    { name: "with room, every unhealthy old pod goes", d: deployment(4, 0, 2), newRS: rs("new", 1, 1, "2025-01-03"), old: [rs("a", 2, 0, "2025-01-01"), rs("b", 1, 1, "2025-01-02")], want: { a: 0 } },
    { name: "new RS above desired is cut back", d: deployment(2, 1, 0), newRS: rs("new", 3, 3, "2025-01-02"), old: [], want: { new: 2 } },
    { name: "25%/25% of 10 surges by 3", d: deployment(10, "25%", "25%"), newRS: rs("new", 0, 0, "2025-01-02"), old: [rs("old", 10, 10, "2025-01-01")], want: { new: 3 } },
  ];
  it.each(cases)("$name", (c) => {
    expect(Object.fromEntries(rollingStep(c.d, c.newRS, c.old).scale)).toEqual(c.want);
  });
});

describe("proportionalScale", () => {
  it("scales a single active ReplicaSet to the new size", () => {
    const d = deployment(5, 1, 0);
    expect(Object.fromEntries(proportionalScale(d, rs("new", 3, 3, "2025-01-02", { "deployment.kubernetes.io/desired-replicas": "3" }), []))).toEqual({ new: 5 });
  });

  it("spreads extra replicas over two active ReplicaSets by size", () => {
    const d = deployment(20, 0, 2);
    const ann = { "deployment.kubernetes.io/desired-replicas": "10", "deployment.kubernetes.io/max-replicas": "10" };
    const result = Object.fromEntries(proportionalScale(d, rs("new", 4, 4, "2025-01-02", ann), [rs("old", 6, 6, "2025-01-01", ann)]));
    expect(result).toEqual({ new: 8, old: 12 });
  });
});

describe("template hash", () => {
  it("is stable across key order and ignores nulls and the hash label", () => {
    const a: V1Deployment = { spec: { selector: {}, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } } };
    const b: V1Deployment = JSON.parse('{"spec":{"template":{"spec":{"containers":[{"image":"nginx","name":"c"}]},"metadata":{"creationTimestamp":null,"labels":{"pod-template-hash":"x","app":"web"}}},"selector":{}}}');
    expect(templateHash(a)).toBe(templateHash(b));
    expect(templateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it("changes with the template and the collision count", () => {
    expect(computeHash({ image: "a" })).not.toBe(computeHash({ image: "b" }));
    expect(computeHash({ image: "a" }, 1)).not.toBe(computeHash({ image: "a" }));
    expect(computeHash({ image: "a" })).toBe(computeHash({ image: "a" }));
  });
});
