// Table tests for the score plugins: raw scores per node, then normalised, as the framework
// combines them; and the weighted total picking a host with deterministic ties.
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { defaultProfile, scoreNodes, selectHost } from "../../../orchestrator/scheduler/framework.js";
import { interPodAffinityScore } from "../../../orchestrator/scheduler/plugins/interPodAffinityScore.js";
import { nodeAffinityScore } from "../../../orchestrator/scheduler/plugins/nodeAffinity.js";
import { podTopologySpreadScore } from "../../../orchestrator/scheduler/plugins/podTopologySpread.js";
import { balancedAllocationPlugin, leastAllocatedPlugin } from "../../../orchestrator/scheduler/plugins/resourceScores.js";
import { taintTolerationScore } from "../../../orchestrator/scheduler/plugins/taintToleration.js";
import type { ScorePlugin } from "../../../orchestrator/scheduler/types.js";
import { cacheOf, entry, node, pod } from "./fixture.js";

interface Case {
  name: string;
  pod: V1Pod;
  nodes: V1Node[];
  pods?: V1Pod[];
  /** Normalised score per node, in node order. */
  want: number[];
}

function scores(plugin: ScorePlugin, c: Case): number[] {
  const cache = cacheOf(c.nodes, c.pods);
  const scorer = plugin.prepare(entry(c.pod), cache, cache.nodes);
  const raw = cache.nodes.map((n) => scorer.score(n));
  return scorer.normalize ? scorer.normalize(raw) : raw;
}

function table(plugin: ScorePlugin, cases: Case[]): void {
  describe(`${plugin.name} (weight ${plugin.weight})`, () => {
    for (const c of cases) it(c.name, () => expect(scores(plugin, c)).toEqual(c.want));
  });
}

const two = [node("a", { cpu: "4", memory: "8Gi" }), node("b", { cpu: "4", memory: "8Gi" })];

table(leastAllocatedPlugin, [
  { name: "empty nodes score alike", pod: pod("p", { cpu: "1", memory: "2Gi" }), nodes: two, want: [75, 75] },
  { name: "emptier node scores higher", pod: pod("p", { cpu: "1", memory: "2Gi" }), nodes: two, pods: [pod("x", { cpu: "2", memory: "4Gi", nodeName: "a" })], want: [25, 75] },
  { name: "no requests count as 100m / 200Mi", pod: pod("p"), nodes: [node("a", { cpu: "1", memory: "1000Mi" })], want: [85] },
  { name: "overcommitted resource scores 0 for it", pod: pod("p", { cpu: "8", memory: "4Gi" }), nodes: two, want: [25, 25] },
]);

table(balancedAllocationPlugin, [
  { name: "equal shares score 100", pod: pod("p", { cpu: "1", memory: "2Gi" }), nodes: two, want: [100, 100] },
  { name: "skewed shares score lower", pod: pod("p", { cpu: "2", memory: "0.5Gi" }), nodes: two, pods: [pod("x", { memory: "4Gi", nodeName: "b" })], want: [78, 98] },
]);

const pref = (weight: number, value: string) => ({ weight, preference: { matchExpressions: [{ key: "disk", operator: "In", values: [value] }] } });
const labelled = [node("a", { labels: { disk: "ssd" } }), node("b", { labels: { disk: "hdd" } }), node("c")];
table(nodeAffinityScore, [
  { name: "no preferences", pod: pod("p"), nodes: labelled, want: [0, 0, 0] },
  { name: "one preference", pod: pod("p", { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(10, "ssd")] } } }), nodes: labelled, want: [100, 0, 0] },
  {
    name: "weights add and scale to the best",
    pod: pod("p", { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(80, "ssd"), pref(20, "hdd")] } } }),
    nodes: labelled,
    want: [100, 25, 0],
  },
]);

const soft = (key: string) => ({ key, value: "x", effect: "PreferNoSchedule" });
table(taintTolerationScore, [
  { name: "no taints", pod: pod("p"), nodes: two, want: [100, 100] },
  { name: "fewer untolerated PreferNoSchedule taints score higher", pod: pod("p"), nodes: [node("a", { taints: [soft("k1"), soft("k2")] }), node("b", { taints: [soft("k1")] }), node("c")], want: [0, 50, 100] },
  { name: "tolerated ones do not count", pod: pod("p", { tolerations: [{ key: "k1", operator: "Exists" }] }), nodes: [node("a", { taints: [soft("k1")] }), node("b")], want: [100, 100] },
  { name: "NoSchedule taints are the filter's business", pod: pod("p"), nodes: [node("a", { taints: [{ key: "k", effect: "NoSchedule" }] }), node("b")], want: [100, 100] },
]);

const web = { labels: { app: "web" } };
const sel = { matchLabels: { app: "web" } };
const zones = [node("a1", { zone: "a" }), node("a2", { zone: "a" }), node("b1", { zone: "b" })];
const weighted = (kind: "podAffinity" | "podAntiAffinity", topologyKey: string) => ({
  [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey, labelSelector: sel } }] },
});
table(interPodAffinityScore, [
  { name: "no terms", pod: pod("p"), nodes: zones, pods: [pod("w", { ...web, nodeName: "a1" })], want: [0, 0, 0] },
  { name: "preferred affinity by zone", pod: pod("p", { affinity: weighted("podAffinity", "topology.kubernetes.io/zone") }), nodes: zones, pods: [pod("w", { ...web, nodeName: "a1" })], want: [100, 100, 0] },
  { name: "preferred anti-affinity by host", pod: pod("p", { affinity: weighted("podAntiAffinity", "kubernetes.io/hostname") }), nodes: zones, pods: [pod("w", { ...web, nodeName: "a1" })], want: [0, 100, 100] },
  { name: "existing pods' preferences count symmetrically", pod: pod("p", web), nodes: zones, pods: [pod("w", { nodeName: "b1", affinity: weighted("podAffinity", "topology.kubernetes.io/zone") })], want: [0, 0, 100] },
]);

const spread = [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: sel }];
table(podTopologySpreadScore, [
  { name: "no constraints", pod: pod("p", web), nodes: zones, want: [0, 0, 0] },
  { name: "fewer matching pods in the zone score higher", pod: pod("p", { ...web, spread }), nodes: zones, pods: [pod("w1", { ...web, nodeName: "a1" }), pod("w2", { ...web, nodeName: "a2" })], want: [0, 0, 100] },
  { name: "balanced zones score alike", pod: pod("p", { ...web, spread }), nodes: zones, pods: [pod("w1", { ...web, nodeName: "a1" }), pod("w2", { ...web, nodeName: "b1" })], want: [100, 100, 100] },
  { name: "nodes without the key score 0", pod: pod("p", { ...web, spread }), nodes: [...zones, node("nz")], pods: [pod("w1", { ...web, nodeName: "a1" })], want: [0, 0, 100, 0] },
]);

describe("weighted total and host selection", () => {
  it("prefers the untainted node by TaintToleration's weight", () => {
    const cache = cacheOf([node("a", { taints: [soft("k")] }), node("b")]);
    const result = scoreNodes(defaultProfile(), entry(pod("p")), cache, cache.nodes);
    expect(result.map((s) => s.byPlugin.TaintToleration)).toEqual([0, 100]);
    expect(selectHost(result)).toBe("b");
  });

  it("breaks ties by node name", () => {
    expect(selectHost([{ name: "b", total: 10, byPlugin: {} }, { name: "a", total: 10, byPlugin: {} }, { name: "c", total: 9, byPlugin: {} }])).toBe("a");
  });
});
