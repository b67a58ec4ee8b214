// Table tests for every filter plugin: a pod, a cluster, a node, and the expected verdict.
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { interPodAffinityFilter } from "../../../orchestrator/scheduler/plugins/interPodAffinity.js";
import { nodeAffinityFilter } from "../../../orchestrator/scheduler/plugins/nodeAffinity.js";
import { nodePortsFilter } from "../../../orchestrator/scheduler/plugins/nodePorts.js";
import { nodeResourcesFitFilter } from "../../../orchestrator/scheduler/plugins/nodeResourcesFit.js";
import { nodeUnschedulableFilter } from "../../../orchestrator/scheduler/plugins/nodeUnschedulable.js";
import { podTopologySpreadFilter } from "../../../orchestrator/scheduler/plugins/podTopologySpread.js";
import { taintTolerationFilter } from "../../../orchestrator/scheduler/plugins/taintToleration.js";
import { volumeBindingFilter } from "../../../orchestrator/scheduler/plugins/volumeBinding.js";
import type { FilterPlugin } from "../../../orchestrator/scheduler/types.js";
import { cacheOf, entry, node, pod } from "./fixture.js";

interface Case {
  name: string;
  pod: V1Pod;
  nodes: V1Node[];
  pods?: V1Pod[];
  /** The node to judge (default: the first). */
  on?: string;
  /** "fits", or the reasons joined with "; ", with " (unresolvable)" when preemption cannot help. */
  want: string;
  setup?: (cache: ReturnType<typeof cacheOf>) => void;
}

function verdict(plugin: FilterPlugin, c: Case): string {
  const cache = cacheOf(c.nodes, c.pods);
  c.setup?.(cache);
  const prepared = plugin.prepare(entry(c.pod), cache);
  const target = cache.get(c.on ?? c.nodes[0].metadata?.name ?? "");
  if (!target) throw new Error("no such node");
  const status = typeof prepared === "function" ? prepared(target) : prepared;
  if (!status) return "fits";
  return status.reasons.join("; ") + (status.unresolvable ? " (unresolvable)" : "");
}

function table(plugin: FilterPlugin, cases: Case[]): void {
  describe(plugin.name, () => {
    for (const c of cases) it(c.name, () => expect(verdict(plugin, c)).toBe(c.want));
  });
}

const n1 = node("n1", { cpu: "2", memory: "4Gi", pods: "3", zone: "a" });

table(nodeResourcesFitFilter, [
  { name: "fits an empty node", pod: pod("p", { cpu: "2", memory: "4Gi" }), nodes: [n1], want: "fits" },
  { name: "counts assigned pods' requests", pod: pod("p", { cpu: "1500m" }), nodes: [n1], pods: [pod("a", { cpu: "1", nodeName: "n1" })], want: "Insufficient cpu" },
  {
    name: "reports cpu and memory together",
    pod: pod("p", { cpu: "3", memory: "5Gi" }),
    nodes: [n1],
    want: "Insufficient cpu; Insufficient memory",
  },
  {
    name: "counts pods against the pods allocatable",
    pod: pod("p"),
    nodes: [n1],
    pods: [pod("a", { nodeName: "n1" }), pod("b", { nodeName: "n1" }), pod("c", { nodeName: "n1" })],
    want: "Too many pods",
  },
  { name: "a pod without requests fits a full node", pod: pod("p"), nodes: [n1], pods: [pod("a", { cpu: "2", memory: "4Gi", nodeName: "n1" })], want: "fits" },
  {
    name: "holds room for a nominated pod of higher priority",
    pod: pod("p", { cpu: "1500m", priority: 1 }),
    nodes: [n1],
    setup: (cache) => cache.setNominated(entry(pod("vip", { cpu: "1", priority: 100 })), "n1"),
    want: "Insufficient cpu",
  },
  {
    name: "ignores nominated pods of lower priority",
    pod: pod("p", { cpu: "1500m", priority: 100 }),
    nodes: [n1],
    setup: (cache) => cache.setNominated(entry(pod("low", { cpu: "1", priority: 1 })), "n1"),
    want: "fits",
  },
]);

const AFFINITY_MISS = "node(s) didn't match Pod's node affinity/selector (unresolvable)";
const required = (terms: object[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
const gpuNode = node("n1", { labels: { gpu: "true", cores: "8" } });

table(nodeAffinityFilter, [
  { name: "no selector fits", pod: pod("p"), nodes: [gpuNode], want: "fits" },
  { name: "nodeSelector matches", pod: pod("p", { nodeSelector: { gpu: "true" } }), nodes: [gpuNode], want: "fits" },
  { name: "nodeSelector mismatch", pod: pod("p", { nodeSelector: { gpu: "false" } }), nodes: [gpuNode], want: AFFINITY_MISS },
  { name: "In", pod: pod("p", { affinity: required([{ matchExpressions: [{ key: "gpu", operator: "In", values: ["true"] }] }]) }), nodes: [gpuNode], want: "fits" },
  { name: "NotIn", pod: pod("p", { affinity: required([{ matchExpressions: [{ key: "gpu", operator: "NotIn", values: ["true"] }] }]) }), nodes: [gpuNode], want: AFFINITY_MISS },
  { name: "Exists", pod: pod("p", { affinity: required([{ matchExpressions: [{ key: "gpu", operator: "Exists" }] }]) }), nodes: [gpuNode], want: "fits" },
  { name: "DoesNotExist", pod: pod("p", { affinity: required([{ matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] }]) }), nodes: [gpuNode], want: AFFINITY_MISS },
  { name: "Gt", pod: pod("p", { affinity: required([{ matchExpressions: [{ key: "cores", operator: "Gt", values: ["4"] }] }]) }), nodes: [gpuNode], want: "fits" },
  { name: "Lt", pod: pod("p", { affinity: required([{ matchExpressions: [{ key: "cores", operator: "Lt", values: ["4"] }] }]) }), nodes: [gpuNode], want: AFFINITY_MISS },
  { name: "Gt on a non-number", pod: pod("p", { affinity: required([{ matchExpressions: [{ key: "gpu", operator: "Gt", values: ["1"] }] }]) }), nodes: [gpuNode], want: AFFINITY_MISS },
  {
    name: "terms are ORed",
    pod: pod("p", { affinity: required([{ matchExpressions: [{ key: "gpu", operator: "In", values: ["no"] }] }, { matchExpressions: [{ key: "cores", operator: "Exists" }] }]) }),
    nodes: [gpuNode],
    want: "fits",
  },
  { name: "matchFields metadata.name", pod: pod("p", { affinity: required([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }]) }), nodes: [gpuNode], want: "fits" },
  { name: "matchFields other name", pod: pod("p", { affinity: required([{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n2"] }] }]) }), nodes: [gpuNode], want: AFFINITY_MISS },
  { name: "an empty term matches nothing", pod: pod("p", { affinity: required([{}]) }), nodes: [gpuNode], want: AFFINITY_MISS },
  { name: "nodeSelector and affinity must both match", pod: pod("p", { nodeSelector: { gpu: "false" }, affinity: required([{ matchExpressions: [{ key: "gpu", operator: "Exists" }] }]) }), nodes: [gpuNode], want: AFFINITY_MISS },
]);

const tainted = (effect: string, value = "v") => node("n1", { taints: [{ key: "k", value, effect }] });

table(taintTolerationFilter, [
  { name: "NoSchedule without toleration", pod: pod("p"), nodes: [tainted("NoSchedule")], want: "node(s) had untolerated taint {k: v} (unresolvable)" },
  { name: "NoExecute without toleration", pod: pod("p"), nodes: [tainted("NoExecute")], want: "node(s) had untolerated taint {k: v} (unresolvable)" },
  { name: "PreferNoSchedule only scores", pod: pod("p"), nodes: [tainted("PreferNoSchedule")], want: "fits" },
  { name: "Equal toleration", pod: pod("p", { tolerations: [{ key: "k", operator: "Equal", value: "v", effect: "NoSchedule" }] }), nodes: [tainted("NoSchedule")], want: "fits" },
  { name: "Equal toleration, other value", pod: pod("p", { tolerations: [{ key: "k", value: "w" }] }), nodes: [tainted("NoSchedule")], want: "node(s) had untolerated taint {k: v} (unresolvable)" },
  { name: "Exists toleration, any effect", pod: pod("p", { tolerations: [{ key: "k", operator: "Exists" }] }), nodes: [tainted("NoExecute")], want: "fits" },
  { name: "empty key Exists tolerates everything", pod: pod("p", { tolerations: [{ operator: "Exists" }] }), nodes: [tainted("NoSchedule")], want: "fits" },
  { name: "toleration for another effect", pod: pod("p", { tolerations: [{ key: "k", operator: "Exists", effect: "NoExecute" }] }), nodes: [tainted("NoSchedule")], want: "node(s) had untolerated taint {k: v} (unresolvable)" },
  { name: "taint without value prints empty", pod: pod("p"), nodes: [tainted("NoSchedule", "")], want: "node(s) had untolerated taint {k: } (unresolvable)" },
]);

table(nodeUnschedulableFilter, [
  { name: "schedulable node", pod: pod("p"), nodes: [node("n1")], want: "fits" },
  { name: "spec.unschedulable", pod: pod("p"), nodes: [node("n1", { unschedulable: true })], want: "node(s) were unschedulable (unresolvable)" },
  {
    name: "unschedulable taint",
    pod: pod("p"),
    nodes: [node("n1", { taints: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }] })],
    want: "node(s) were unschedulable (unresolvable)",
  },
  {
    name: "tolerating the unschedulable taint",
    pod: pod("p", { tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists" }] }),
    nodes: [node("n1", { unschedulable: true })],
    want: "fits",
  },
  { name: "Ready=True", pod: pod("p"), nodes: [node("n1", { ready: "True" })], want: "fits" },
  { name: "Ready=False", pod: pod("p"), nodes: [node("n1", { ready: "False" })], want: "node(s) had untolerated taint {node.kubernetes.io/not-ready: } (unresolvable)" },
  { name: "Ready=Unknown", pod: pod("p"), nodes: [node("n1", { ready: "Unknown" })], want: "node(s) had untolerated taint {node.kubernetes.io/unreachable: } (unresolvable)" },
  {
    name: "tolerating not-ready",
    pod: pod("p", { tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists" }] }),
    nodes: [node("n1", { ready: "False" })],
    want: "fits",
  },
]);

const PORTS = "node(s) didn't have free ports for the requested pod ports";
table(nodePortsFilter, [
  { name: "free port", pod: pod("p", { hostPort: 8080 }), nodes: [n1], pods: [pod("a", { hostPort: 9090, nodeName: "n1" })], want: "fits" },
  { name: "same port", pod: pod("p", { hostPort: 8080 }), nodes: [n1], pods: [pod("a", { hostPort: 8080, nodeName: "n1" })], want: PORTS },
  { name: "wildcard vs specific IP", pod: pod("p", { hostPort: 8080 }), nodes: [n1], pods: [pod("a", { hostPort: 8080, hostIP: "10.0.0.1", nodeName: "n1" })], want: PORTS },
  { name: "specific vs wildcard", pod: pod("p", { hostPort: 8080, hostIP: "10.0.0.1" }), nodes: [n1], pods: [pod("a", { hostPort: 8080, nodeName: "n1" })], want: PORTS },
  { name: "two specific IPs", pod: pod("p", { hostPort: 8080, hostIP: "10.0.0.2" }), nodes: [n1], pods: [pod("a", { hostPort: 8080, hostIP: "10.0.0.1", nodeName: "n1" })], want: "fits" },
]);

const zoned = [node("a1", { zone: "a" }), node("a2", { zone: "a" }), node("b1", { zone: "b" }), node("nz")];
const web = { labels: { app: "web" } };
const selector = { matchLabels: { app: "web" } };
const antiHost = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: selector }] } };
const antiZone = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "topology.kubernetes.io/zone", labelSelector: selector }] } };
const withZone = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { app: "db" } } }] } };

table(interPodAffinityFilter, [
  { name: "anti-affinity by hostname: other node fits", pod: pod("p", { ...web, affinity: antiHost }), nodes: zoned, pods: [pod("w", { ...web, nodeName: "a1" })], on: "a2", want: "fits" },
  { name: "anti-affinity by hostname: same node", pod: pod("p", { ...web, affinity: antiHost }), nodes: zoned, pods: [pod("w", { ...web, nodeName: "a1" })], on: "a1", want: "node(s) didn't match pod anti-affinity rules" },
  { name: "anti-affinity by zone", pod: pod("p", { ...web, affinity: antiZone }), nodes: zoned, pods: [pod("w", { ...web, nodeName: "a1" })], on: "a2", want: "node(s) didn't match pod anti-affinity rules" },
  {
    name: "existing pod's anti-affinity keeps matching pods out",
    pod: pod("p", web),
    nodes: zoned,
    pods: [pod("w", { ...web, nodeName: "a1", affinity: antiZone })],
    on: "a2",
    want: "node(s) didn't satisfy existing pods anti-affinity rules",
  },
  { name: "affinity: matching pod in zone", pod: pod("p", { affinity: withZone }), nodes: zoned, pods: [pod("db", { labels: { app: "db" }, nodeName: "a1" })], on: "a2", want: "fits" },
  {
    name: "affinity: no matching pod in zone",
    pod: pod("p", { affinity: withZone }),
    nodes: zoned,
    pods: [pod("db", { labels: { app: "db" }, nodeName: "a1" })],
    on: "b1",
    want: "node(s) didn't match pod affinity rules (unresolvable)",
  },
  { name: "affinity: first pod of its own group", pod: pod("p", { labels: { app: "db" }, affinity: withZone }), nodes: zoned, on: "b1", want: "fits" },
  { name: "affinity: node without the topology key", pod: pod("p", { labels: { app: "db" }, affinity: withZone }), nodes: zoned, on: "nz", want: "node(s) didn't match pod affinity rules (unresolvable)" },
  {
    name: "affinity terms look in the pod's own namespace by default",
    pod: pod("p", { affinity: withZone }),
    nodes: zoned,
    pods: [pod("db", { labels: { app: "db" }, nodeName: "a1", namespace: "other" })],
    on: "a1",
    want: "node(s) didn't match pod affinity rules (unresolvable)",
  },
  {
    name: "namespaces list",
    pod: pod("p", { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...withZone.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0], namespaces: ["other"] }] } } }),
    nodes: zoned,
    pods: [pod("db", { labels: { app: "db" }, nodeName: "a1", namespace: "other" })],
    on: "a1",
    want: "fits",
  },
  {
    name: "empty namespaceSelector means all namespaces",
    pod: pod("p", { ...web, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: selector, namespaceSelector: {} }] } } }),
    nodes: zoned,
    pods: [pod("w", { ...web, nodeName: "a1", namespace: "other" })],
    on: "a1",
    want: "node(s) didn't match pod anti-affinity rules",
  },
  {
    name: "namespaceSelector by namespace labels",
    pod: pod("p", { ...web, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: selector, namespaceSelector: { matchLabels: { team: "x" } } }] } } }),
    nodes: zoned,
    pods: [pod("w", { ...web, nodeName: "a1", namespace: "other" })],
    on: "a1",
    setup: (cache) => cache.setNamespace({ metadata: { name: "other", labels: { team: "x" } } }),
    want: "node(s) didn't match pod anti-affinity rules",
  },
]);

const spreadZone = (maxSkew: number, mode = "DoNotSchedule") => [{ maxSkew, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: mode, labelSelector: selector }];
const spreadNodes = [node("a1", { zone: "a" }), node("b1", { zone: "b" })];
table(podTopologySpreadFilter, [
  { name: "balanced domains fit anywhere", pod: pod("p", { ...web, spread: spreadZone(1) }), nodes: spreadNodes, pods: [pod("w1", { ...web, nodeName: "a1" }), pod("w2", { ...web, nodeName: "b1" })], on: "a1", want: "fits" },
  { name: "skew would exceed maxSkew", pod: pod("p", { ...web, spread: spreadZone(1) }), nodes: spreadNodes, pods: [pod("w1", { ...web, nodeName: "a1" })], on: "a1", want: "node(s) didn't match pod topology spread constraints" },
  { name: "the emptier domain fits", pod: pod("p", { ...web, spread: spreadZone(1) }), nodes: spreadNodes, pods: [pod("w1", { ...web, nodeName: "a1" })], on: "b1", want: "fits" },
  { name: "maxSkew 2 allows it", pod: pod("p", { ...web, spread: spreadZone(2) }), nodes: spreadNodes, pods: [pod("w1", { ...web, nodeName: "a1" })], on: "a1", want: "fits" },
  { name: "ScheduleAnyway does not filter", pod: pod("p", { ...web, spread: spreadZone(1, "ScheduleAnyway") }), nodes: spreadNodes, pods: [pod("w1", { ...web, nodeName: "a1" })], on: "a1", want: "fits" },
  {
    name: "node missing the key",
    pod: pod("p", { ...web, spread: spreadZone(1) }),
    nodes: [...spreadNodes, node("nz")],
    on: "nz",
    want: "node(s) didn't match pod topology spread constraints (missing required label) (unresolvable)",
  },
  {
    name: "pods in other namespaces do not count",
    pod: pod("p", { ...web, spread: spreadZone(1) }),
    nodes: spreadNodes,
    pods: [pod("w1", { ...web, nodeName: "a1", namespace: "other" })],
    on: "a1",
    want: "fits",
  },
]);

const pvc = (name: string, volumeName?: string) => ({ metadata: { name, namespace: "default" }, spec: volumeName ? { volumeName } : {} });
const pv = (name: string, host?: string) => ({
  metadata: { name },
  spec: host ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [host] }] }] } } } : {},
});
const usesClaim = (claimName: string) => pod("p", { volumes: [{ name: "data", persistentVolumeClaim: { claimName } }] });

table(volumeBindingFilter(), [
  { name: "no volumes", pod: pod("p"), nodes: [node("n1")], want: "fits" },
  { name: "missing claim", pod: usesClaim("data"), nodes: [node("n1")], want: 'persistentvolumeclaim "data" not found (unresolvable)' },
  { name: "unbound claim waits", pod: usesClaim("data"), nodes: [node("n1")], setup: (c) => c.setClaim(pvc("data")), want: "pod has unbound immediate PersistentVolumeClaims (unresolvable)" },
  { name: "bound PV without affinity", pod: usesClaim("data"), nodes: [node("n1")], setup: (c) => (c.setClaim(pvc("data", "pv1")), c.setVolume(pv("pv1"))), want: "fits" },
  {
    name: "bound PV pinned to this node",
    pod: usesClaim("data"),
    nodes: [node("n1"), node("n2")],
    on: "n1",
    setup: (c) => (c.setClaim(pvc("data", "pv1")), c.setVolume(pv("pv1", "n1"))),
    want: "fits",
  },
  {
    name: "bound PV pinned to another node",
    pod: usesClaim("data"),
    nodes: [node("n1"), node("n2")],
    on: "n2",
    setup: (c) => (c.setClaim(pvc("data", "pv1")), c.setVolume(pv("pv1", "n1"))),
    want: "node(s) had volume node affinity conflict (unresolvable)",
  },
]);

describe("VolumeBinding's delayed-binding seam", () => {
  it("lets the storage layer decide for unbound claims", () => {
    const plugin = volumeBindingFilter({ delayedBinding: () => (n) => (n.name === "n1" ? undefined : { reasons: ["node(s) did not have enough free storage"] }) });
    const c: Case = { name: "", pod: usesClaim("data"), nodes: [node("n1"), node("n2")], on: "n2", setup: (cache) => cache.setClaim(pvc("data")), want: "" };
    expect(verdict(plugin, c)).toBe("node(s) did not have enough free storage");
    expect(verdict(plugin, { ...c, on: "n1" })).toBe("fits");
  });
});
