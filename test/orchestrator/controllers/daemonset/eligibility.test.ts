// Table tests for DaemonSet node eligibility (selectors, affinity, taints vs tolerations).
import type { V1Node, V1PodSpec } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { nodeEligibility } from "../../../../orchestrator/controllers/daemonset/eligibility.js";

function node(name: string, labels: Record<string, string> = {}, taints: NonNullable<V1Node["spec"]>["taints"] = []): V1Node {
  return { metadata: { name, labels }, spec: { taints } };
}

const base: V1PodSpec = { containers: [{ name: "c" }] };

const cases: { name: string; node: V1Node; spec: V1PodSpec; run: boolean; stay: boolean }[] = [
  { name: "plain node", node: node("a"), spec: base, run: true, stay: true },
  { name: "nodeSelector matches", node: node("a", { disk: "ssd" }), spec: { ...base, nodeSelector: { disk: "ssd" } }, run: true, stay: true },
  { name: "nodeSelector misses", node: node("a"), spec: { ...base, nodeSelector: { disk: "ssd" } }, run: false, stay: false },
  {
    name: "required affinity In",
    node: node("a", { zone: "z1" }),
    spec: { ...base, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["z1", "z2"] }] }] } } } },
    run: true,
    stay: true,
  },
  {
    name: "required affinity on metadata.name misses",
    node: node("a"),
    spec: { ...base, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["b"] }] }] } } } },
    run: false,
    stay: false,
  },
  { name: "NoSchedule taint untolerated", node: node("a", {}, [{ key: "gpu", effect: "NoSchedule" }]), spec: base, run: false, stay: true },
  { name: "NoExecute taint untolerated", node: node("a", {}, [{ key: "gpu", effect: "NoExecute" }]), spec: base, run: false, stay: false },
  { name: "tolerated by Exists", node: node("a", {}, [{ key: "gpu", value: "x", effect: "NoSchedule" }]), spec: { ...base, tolerations: [{ key: "gpu", operator: "Exists" }] }, run: true, stay: true },
  { name: "tolerated by Equal", node: node("a", {}, [{ key: "gpu", value: "x", effect: "NoSchedule" }]), spec: { ...base, tolerations: [{ key: "gpu", operator: "Equal", value: "x", effect: "NoSchedule" }] }, run: true, stay: true },
  { name: "Equal with wrong value", node: node("a", {}, [{ key: "gpu", value: "x", effect: "NoSchedule" }]), spec: { ...base, tolerations: [{ key: "gpu", operator: "Equal", value: "y" }] }, run: false, stay: true },
  { name: "default toleration: cordoned node", node: node("a", {}, [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }]), spec: base, run: true, stay: true },
  { name: "default toleration: not-ready node", node: node("a", {}, [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }]), spec: base, run: true, stay: true },
  { name: "PreferNoSchedule is ignored", node: node("a", {}, [{ key: "x", effect: "PreferNoSchedule" }]), spec: base, run: true, stay: true },
];

describe("nodeEligibility", () => {
  it.each(cases)("$name", (c) => {
    expect(nodeEligibility(c.node, c.spec)).toEqual({ shouldRun: c.run, shouldContinueRunning: c.stay });
  });
});
