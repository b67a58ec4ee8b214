// Pod GC: the decisions as table tests, then the controller against the real API server on a
// FakeClock: pods on a deleted node go after the quarantine (terminating ones too), a node
// that comes back within it keeps its pods, and terminated pods beyond the threshold go
// oldest first.
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../../core/clock.js";
import type { RunningController } from "../../../../core/workqueue/index.js";
import { Informer, type KubeClient } from "../../../../kube/client/index.js";
import { createApiServer, type ApiServer } from "../../../../orchestrator/apiserver/server.js";
import { kubeconfigYaml } from "../../../../orchestrator/cluster/kubeconfig.js";
import { clientFor } from "../../../../orchestrator/controllers/batchAndNetwork.js";
import { excessTerminated, missingNodes, unscheduledTerminating } from "../../../../orchestrator/controllers/podgc/decide.js";
import { startPodGCController } from "../../../../orchestrator/controllers/podgc/controller.js";
import { failedStatusPatch, NODE_GONE_CONDITION } from "../../../../orchestrator/controllers/podgc/markFailed.js";
import { isPod, type Pod } from "../../../../orchestrator/kubelet/types.js";
import { openEmbeddedStore } from "../../../../orchestrator/store/embedded/index.js";
import type { Store } from "../../../../orchestrator/store/types.js";

const T0 = Date.parse("2025-01-01T00:00:00Z");

function pod(name: string, o: { node?: string; phase?: string; created?: number; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name, namespace: "default", creationTimestamp: new Date(o.created ?? T0).toISOString(), deletionTimestamp: o.deleting ? new Date(T0).toISOString() : undefined },
    spec: { nodeName: o.node, containers: [{ name: "c" }] },
    status: o.phase ? { phase: o.phase } : undefined,
  };
}

describe("pod gc decisions", () => {
  it("keeps terminated pods up to the threshold and picks the oldest beyond it", () => {
    const pods = [pod("c", { phase: "Failed", created: T0 + 3 }), pod("a", { phase: "Succeeded", created: T0 + 1 }), pod("r", { phase: "Running" }), pod("b", { phase: "Succeeded", created: T0 + 2 })];
    const table: { threshold: number; want: string[] }[] = [
      { threshold: 3, want: [] },
      { threshold: 2, want: ["a"] },
      { threshold: 0, want: ["a", "b", "c"] },
    ];
    for (const c of table) expect(excessTerminated(pods, c.threshold).map((p) => p.metadata.name)).toEqual(c.want);
  });

  it("finds unbound terminating pods and nodes that are gone", () => {
    const pods = [pod("unbound-deleting", { deleting: true }), pod("unbound"), pod("bound-deleting", { node: "n1", deleting: true }), pod("x", { node: "gone" }), pod("y", { node: "gone" })];
    expect(unscheduledTerminating(pods).map((p) => p.metadata.name)).toEqual(["unbound-deleting"]);
    expect(missingNodes(pods, (n) => n === "n1")).toEqual(["gone"]);
  });
});

describe("marking a pod Failed before the force delete", () => {
  const NOW = T0 + 61_500;
  const disruption = (status: string, at: string) => ({ type: "DisruptionTarget", status, lastTransitionTime: at });
  it.each([
    ["a running pod of a deleted node", { phase: "Running" }, NODE_GONE_CONDITION, { status: { phase: "Failed", conditions: [{ ...NODE_GONE_CONDITION, lastTransitionTime: "2025-01-01T00:01:01Z" }] } }],
    ["a pending pod, no condition (unscheduled and terminating)", { phase: "Pending" }, undefined, { status: { phase: "Failed" } }],
    ["a pod with no status yet", undefined, NODE_GONE_CONDITION, { status: { phase: "Failed", conditions: [{ ...NODE_GONE_CONDITION, lastTransitionTime: "2025-01-01T00:01:01Z" }] } }],
    ["a condition already true keeps its transition time", { phase: "Running", conditions: [disruption("True", "2024-12-31T00:00:00Z")] }, NODE_GONE_CONDITION, { status: { phase: "Failed", conditions: [{ ...NODE_GONE_CONDITION, lastTransitionTime: "2024-12-31T00:00:00Z" }] } }],
    ["a condition that flips gets a new transition time", { phase: "Running", conditions: [disruption("False", "2024-12-31T00:00:00Z")] }, NODE_GONE_CONDITION, { status: { phase: "Failed", conditions: [{ ...NODE_GONE_CONDITION, lastTransitionTime: "2025-01-01T00:01:01Z" }] } }],
    ["a succeeded pod is only deleted", { phase: "Succeeded" }, NODE_GONE_CONDITION, undefined],
    ["a failed pod is only deleted", { phase: "Failed" }, NODE_GONE_CONDITION, undefined],
  ] as const)("%s", (_name, status, condition, want) => {
    const p: Pod = { ...pod("p", { node: "gone" }), status: status as Pod["status"] };
    expect(failedStatusPatch(p, { now: NOW, condition })).toEqual(want);
  });
});

describe("pod gc against the API server", () => {
  let store: Store;
  let server: ApiServer;
  let clock: FakeClock;
  let client: KubeClient;
  let informers: Informer[];
  let controller: RunningController;

  async function start(options: { terminatedThreshold?: number } = {}): Promise<void> {
    const pods = new Informer(client, { apiVersion: "v1", kind: "Pod" }, { allNamespaces: true, clock });
    const nodes = new Informer(client, { apiVersion: "v1", kind: "Node" }, { clock });
    informers = [pods, nodes];
    controller = startPodGCController({ client, clock, pods, nodes, quarantineMs: 5_000, periodMs: 20_000, ...options });
    await Promise.all(informers.map((i) => i.start()));
  }

  beforeEach(async () => {
    store = await openEmbeddedStore();
    clock = new FakeClock(T0);
    server = await createApiServer({ store, clock });
    const url = await server.app.listen({ host: "127.0.0.1", port: 0 });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigYaml(url));
    client = clientFor({ kubeConfig, clock });
  });
  afterEach(async () => {
    for (const i of informers) i.stop();
    await controller.stop();
    await server.close();
    await store.close();
  });

  const createNode = (name: string) => client.create({ apiVersion: "v1", kind: "Node", metadata: { name } });
  const createPod = (name: string, node: string) =>
    client.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { nodeName: node, containers: [{ name: "c", image: "nginx" }] } });
  const names = async () => (await client.list({ apiVersion: "v1", kind: "Pod" }, { namespace: "default" })).items.map((p) => p.metadata.name).sort();
  const settle = () => new Promise((r) => setTimeout(r, 50));

  /** Advances the fake clock in steps until check passes (real I/O needs real turns). */
  async function until(check: () => Promise<boolean>, stepMs: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      clock.advance(stepMs);
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("condition not reached");
  }

  it("force-deletes the pods of a deleted node after the quarantine, terminating ones included", async () => {
    await createNode("n1");
    await createNode("n2");
    await createPod("a", "n1");
    await createPod("b", "n1");
    await createPod("keep", "n2");
    await start();
    // A graceful delete leaves b Terminating: no kubelet will ever finish it.
    await client.delete({ apiVersion: "v1", kind: "Pod", namespace: "default", name: "b" });
    await client.delete({ apiVersion: "v1", kind: "Node", name: "n1" });
    await settle();
    clock.advance(4_000);
    await settle();
    expect(await names()).toEqual(["a", "b", "keep"]);
    await until(async () => (await names()).join() === "keep", 500);
  });

  async function getPod(name: string): Promise<Pod> {
    const obj = await client.get({ apiVersion: "v1", kind: "Pod", namespace: "default", name });
    if (!isPod(obj)) throw new Error(`not a pod: ${JSON.stringify(obj)}`);
    return obj;
  }
  /** A finalizer keeps the force-deleted pod readable, as the Job controller's tracking finalizer does. */
  const createHeldPod = (name: string, node?: string) =>
    client.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", finalizers: ["example.com/hold"] }, spec: { nodeName: node, containers: [{ name: "c", image: "nginx" }] } });

  it("marks a deleted node's running pods Failed with a DisruptionTarget condition before deleting them", async () => {
    await createNode("n1");
    const created = await createHeldPod("a", "n1");
    await client.updateStatus({ ...created, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } });
    await start();
    await client.delete({ apiVersion: "v1", kind: "Node", name: "n1" });
    await until(async () => (await getPod("a")).metadata.deletionTimestamp !== undefined, 1_000);
    const p = await getPod("a");
    expect(p.status?.phase).toBe("Failed");
    expect(p.status?.conditions).toContainEqual(expect.objectContaining({ type: "DisruptionTarget", status: "True", reason: "DeletionByPodGC", message: "PodGC: node no longer exists" }));
    expect(p.status?.conditions).toContainEqual(expect.objectContaining({ type: "Ready", status: "True" }));
  });

  it("marks an unscheduled terminating pod Failed, without a condition, before deleting it", async () => {
    await createHeldPod("pending");
    await start();
    await client.delete({ apiVersion: "v1", kind: "Pod", namespace: "default", name: "pending" });
    await until(async () => (await getPod("pending")).status?.phase === "Failed", 1_000);
    const p = await getPod("pending");
    expect(p.metadata.deletionTimestamp).toBeDefined();
    expect((p.status?.conditions ?? []).filter((c) => c.type === "DisruptionTarget")).toEqual([]);
  });

  it("keeps the pods of a node that comes back within the quarantine", async () => {
    await createNode("n1");
    await createPod("a", "n1");
    await start();
    await client.delete({ apiVersion: "v1", kind: "Node", name: "n1" });
    await settle();
    clock.advance(2_000);
    await createNode("n1");
    await settle();
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000);
      await settle();
    }
    expect(await names()).toEqual(["a"]);
  });

  it("finds pods already orphaned when it starts", async () => {
    await createPod("a", "never-existed");
    await start();
    await until(async () => (await names()).length === 0, 1_000);
  });

  it("deletes the oldest terminated pods beyond the threshold", async () => {
    await createNode("n1");
    for (const [i, name] of ["old", "mid", "new", "running"].entries()) {
      const created = await createPod(name, "n1");
      await client.updateStatus({ ...created, status: { phase: name === "running" ? "Running" : "Succeeded" } });
      clock.advance(1_000 * (i + 1));
    }
    await start({ terminatedThreshold: 1 });
    await until(async () => (await names()).join() === "new,running", 1_000);
  });
});
