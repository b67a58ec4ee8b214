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
import type { Pod } from "../../../../orchestrator/kubelet/types.js";
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
