import type { V1Node, V1Pod, V1Taint } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { desiredTaints, evictionTime, nodeHealth } from "../../../../orchestrator/controllers/nodelifecycle/decide.js";
import { T0, useControllerHarness } from "../job/harness.js";

function node(ready: string, heartbeat = T0): V1Node {
  return { metadata: { name: "n1", creationTimestamp: new Date(T0) }, status: { conditions: [{ type: "Ready", status: ready, lastHeartbeatTime: new Date(heartbeat) }] } };
}

describe("node health", () => {
  const table: { name: string; node: V1Node; lease?: number; now: number; want: string }[] = [
    { name: "fresh lease, ready", node: node("True"), lease: T0 + 30_000, now: T0 + 60_000, want: "Ready" },
    { name: "stale lease", node: node("True"), lease: T0, now: T0 + 40_000, want: "Unknown" },
    { name: "kubelet reports not ready", node: node("False"), lease: T0, now: T0 + 1_000, want: "NotReady" },
    { name: "no lease uses the heartbeat", node: node("True", T0 + 10_000), now: T0 + 45_000, want: "Ready" },
  ];
  for (const c of table) it(c.name, () => expect(nodeHealth({ node: c.node, leaseRenewedAt: c.lease, now: c.now }).health).toBe(c.want));

  it("taints follow health and keep timeAdded", () => {
    const tainted = desiredTaints(node("True"), "Unknown", T0);
    expect(tainted.map((t) => `${t.key}:${t.effect}`)).toEqual(["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    const again = desiredTaints({ ...node("Unknown"), spec: { taints: tainted } }, "Unknown", T0 + 5_000);
    expect(again[1].timeAdded).toEqual(tainted[1].timeAdded);
    expect(desiredTaints({ ...node("True"), spec: { taints: [...tainted, { key: "x", effect: "NoSchedule" }] } }, "Ready", T0)).toEqual([{ key: "x", effect: "NoSchedule" }]);
  });
});

describe("eviction decisions", () => {
  const taint: V1Taint = { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: new Date(T0) };
  const pod = (tolerations: NonNullable<V1Pod["spec"]>["tolerations"]): V1Pod => ({ spec: { containers: [], tolerations } });
  const table: { name: string; pod: V1Pod; want: object }[] = [
    { name: "no toleration: now", pod: pod([]), want: { evictAt: T0 + 1_000 } },
    { name: "default 300 s", pod: pod([{ key: taint.key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }]), want: { evictAt: T0 + 300_000 } },
    { name: "forever", pod: pod([{ operator: "Exists" }]), want: { never: true } },
    { name: "shortest wins", pod: pod([{ operator: "Exists", tolerationSeconds: 60 }, { key: taint.key, operator: "Exists", tolerationSeconds: 10 }]), want: { evictAt: T0 + 10_000 } },
    { name: "other key does not tolerate", pod: pod([{ key: "other", operator: "Exists" }]), want: { evictAt: T0 + 1_000 } },
  ];
  for (const c of table) it(c.name, () => expect(evictionTime(c.pod, [taint], T0 + 1_000)).toEqual(c.want));
});

describe("node lifecycle against the API server", () => {
  const h = useControllerHarness();

  it("taints a node whose lease stops, evicts its pods after their toleration, and untaints it on recovery", async () => {
    const now = () => new Date(h.clock.now()).toISOString();
    const n = await h.client.create({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
    await h.client.updateStatus({ ...n, status: { conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: now(), lastTransitionTime: now() }] } });
    await h.client.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "n1", namespace: "kube-node-lease" }, spec: { holderIdentity: "n1", leaseDurationSeconds: 40, renewTime: now().replace("Z", "000Z") } });
    const pod = (name: string, tolerationSeconds?: number) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default" },
      spec: { nodeName: "n1", containers: [{ name: "c", image: "nginx" }], ...(tolerationSeconds === undefined ? {} : { tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds }] }) },
    });
    await h.client.create(pod("defaults"));
    await h.client.create(pod("short", 10));
    const taints = async () => (((await h.client.get({ apiVersion: "v1", kind: "Node", name: "n1" })).spec as { taints?: { key: string; effect: string }[] }).taints ?? []);
    // 40 s without a renewal: Unknown and tainted.
    await h.until(async () => (await taints()).some((t) => t.key === "node.kubernetes.io/unreachable" && t.effect === "NoExecute"), { stepMs: 1_000 });
    const ready = ((await h.client.get({ apiVersion: "v1", kind: "Node", name: "n1" })).status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === "Ready");
    expect(ready?.status).toBe("Unknown");
    // Evicted = deleted; with a grace period the pod stays Terminating until a kubelet removes it.
    const exists = async (name: string) => {
      const p = await h.client.tryGet({ apiVersion: "v1", kind: "Pod", namespace: "default", name });
      return p !== undefined && p.metadata.deletionTimestamp === undefined;
    };
    await h.until(async () => !(await exists("short")), { stepMs: 500 });
    expect(await exists("defaults")).toBe(true);
    await h.until(async () => !(await exists("defaults")), { stepMs: 5_000 });
    // The kubelet comes back: lease renewed, Ready again; the taints go.
    const lease = await h.client.get({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "kube-node-lease", name: "n1" });
    await h.client.update({ ...lease, spec: { ...(lease.spec as object), renewTime: now().replace("Z", "000Z") } });
    const current = await h.client.get({ apiVersion: "v1", kind: "Node", name: "n1" });
    await h.client.updateStatus({ ...current, status: { conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: now(), lastTransitionTime: now() }] } });
    await h.until(async () => (await taints()).length === 0);
  });
});
