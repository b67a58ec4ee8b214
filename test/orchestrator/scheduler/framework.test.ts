// The whole cycle over a snapshot: FitError messages in Kubernetes' format, the number of
// nodes searched, and preemption's choice of node and victims.
import { describe, expect, it } from "vitest";
import { fitErrorMessage } from "../../../orchestrator/scheduler/diagnosis.js";
import { defaultProfile, findFeasibleNodes, numFeasibleNodesToFind, schedulePod } from "../../../orchestrator/scheduler/framework.js";
import { findPreemption } from "../../../orchestrator/scheduler/preemption.js";
import { cacheOf, entry, node, pod } from "./fixture.js";

const profile = defaultProfile();

function failure(p: ReturnType<typeof pod>, cache: ReturnType<typeof cacheOf>): string {
  const e = entry(p);
  const result = schedulePod(profile, e, cache);
  if (result.node !== undefined) return `scheduled on ${result.node}`;
  const preemption = findPreemption({ profile, pod: e, snapshot: cache, diagnosis: result.diagnosis });
  return fitErrorMessage(cache.nodes.length, result.diagnosis, preemption.message);
}

describe("FitError messages", () => {
  it("counts reasons over nodes, sorted, with the preemption sentence", () => {
    const cache = cacheOf([node("a", { cpu: "1" }), node("b", { cpu: "1" }), node("c", { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] })]);
    expect(failure(pod("p", { cpu: "2" }), cache)).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. " +
        "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
  });

  it("uses the PreFilter message when a plugin rejects the pod outright", () => {
    const cache = cacheOf([node("a"), node("b")]);
    cache.setClaim({ metadata: { name: "data", namespace: "default" }, spec: {} });
    expect(failure(pod("p", { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] }), cache)).toBe(
      "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
  });

  it("says when there are no nodes", () => {
    expect(fitErrorMessage(0, { nodes: new Map() })).toBe("no nodes available to schedule pods");
  });

  it("honours preemptionPolicy Never", () => {
    const p = pod("p", { cpu: "8" });
    p.spec = { ...p.spec, containers: p.spec?.containers ?? [], preemptionPolicy: "Never" };
    expect(failure(p, cacheOf([node("a", { cpu: "1" })]))).toBe("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
  });
});

describe("node search", () => {
  it("finds all nodes up to 100, then an adaptive share", () => {
    expect([50, 100, 1000, 5000, 20000].map(numFeasibleNodesToFind)).toEqual([50, 100, 420, 500, 1000]);
  });

  it("stops filtering once enough nodes fit, starting at the given index", () => {
    const cache = cacheOf(Array.from({ length: 1000 }, (_, i) => node(`n${String(i).padStart(4, "0")}`)));
    const outcome = findFeasibleNodes(profile, entry(pod("p")), cache, { startIndex: 990 });
    expect(outcome.feasible).toHaveLength(420);
    expect(outcome.feasible[0].name).toBe("n0990");
    expect(outcome.evaluated).toBe(420);
  });
});

describe("preemption", () => {
  it("picks the node whose victims have the lowest priority, evicting as few as needed", () => {
    const cache = cacheOf(
      [node("a", { cpu: "2" }), node("b", { cpu: "2" })],
      [
        pod("a-mid", { cpu: "1", priority: 50, nodeName: "a" }),
        pod("a-low", { cpu: "1", priority: 10, nodeName: "a" }),
        pod("b-mid", { cpu: "1", priority: 50, nodeName: "b" }),
        pod("b-mid2", { cpu: "1", priority: 40, nodeName: "b" }),
      ],
    );
    const e = entry(pod("vip", { cpu: "1", priority: 100 }));
    const result = schedulePod(profile, e, cache);
    if (result.node !== undefined) throw new Error("should not fit");
    const outcome = findPreemption({ profile, pod: e, snapshot: cache, diagnosis: result.diagnosis });
    expect(outcome.candidate?.node).toBe("a");
    expect(outcome.candidate?.victims.map((v) => v.key)).toEqual(["default/a-low"]);
  });

  it("never evicts pods of equal or higher priority", () => {
    const cache = cacheOf([node("a", { cpu: "1" })], [pod("peer", { cpu: "1", priority: 100, nodeName: "a" })]);
    expect(failure(pod("p", { cpu: "1", priority: 100 }), cache)).toBe(
      "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    );
  });

  it("does not preempt again while victims on the nominated node terminate", () => {
    const cache = cacheOf([node("a", { cpu: "1" })], [pod("victim", { cpu: "1", priority: 0, nodeName: "a", terminating: true })]);
    const p = pod("p", { cpu: "1", priority: 100 });
    p.status = { nominatedNodeName: "a" };
    expect(failure(p, cache)).toBe("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.");
  });
});
