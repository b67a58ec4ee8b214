// DaemonSet controller against a real in-process API server.
import type { V1DaemonSet, V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKind } from "../../../../orchestrator/controllers/shared/informers.js";
import { targetNode } from "../../../../orchestrator/controllers/daemonset/plan.js";
import { startHarness, type Harness } from "../shared/fixture.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function addNode(name: string, extra: { labels?: Record<string, string>; taints?: Record<string, string>[] } = {}): Promise<void> {
  await h.client.create({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...(extra.labels ?? {}) } },
    spec: extra.taints ? { taints: extra.taints } : {},
  });
}

async function getDs(name: string): Promise<V1DaemonSet> {
  const d = await h.client.get({ apiVersion: "apps/v1", kind: "DaemonSet", name, namespace: "default" });
  if (!isKind(d, "DaemonSet")) throw new Error("not a daemonset");
  return d;
}

const nodesOf = (pods: V1Pod[]): string[] => pods.map((p) => targetNode(p) ?? "?").sort();

function daemonSet(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: "default" },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "agent:1" }], ...extra } } },
  };
}

describe("DaemonSet controller", () => {
  it("covers each eligible node, follows nodes joining and leaving, and rolls an update", async () => {
    await addNode("n1");
    await addNode("n2", { labels: { disk: "ssd" } });
    await addNode("tainted", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] });
    await h.client.create(daemonSet("agent"));
    await h.waitFor(async () => nodesOf(await h.pods("app=agent")).join() === "n1,n2", { what: "n1,n2" });
    const pod = (await h.pods("app=agent"))[0];
    expect(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]).toMatchObject({ key: "metadata.name", operator: "In" });
    expect(pod.spec?.tolerations?.map((t) => t.key)).toContain("node.kubernetes.io/unschedulable");
    await h.waitFor(async () => (await getDs("agent")).status?.numberAvailable === 2, { what: "2 available" });
    expect((await getDs("agent")).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberMisscheduled: 0 });

    await addNode("n3");
    await h.waitFor(async () => nodesOf(await h.pods("app=agent")).join() === "n1,n2,n3", { what: "n3 joins" });
    await h.client.delete({ apiVersion: "v1", kind: "Node", name: "n1" });
    await h.waitFor(async () => nodesOf(await h.pods("app=agent")).join() === "n2,n3", { what: "n1 leaves" });

    await h.client.patch({ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", namespace: "default" }, { spec: { template: { spec: { containers: [{ name: "c", image: "agent:2" }] } } } }, { type: "strategic" });
    await h.waitFor(async () => {
      const pods = await h.pods("app=agent");
      // maxUnavailable 1: never fewer than one of the two nodes covered.
      expect(pods.length).toBeGreaterThanOrEqual(1);
      return pods.length === 2 && pods.every((p) => p.spec?.containers[0]?.image === "agent:2") && (await getDs("agent")).status?.updatedNumberScheduled === 2;
    }, { what: "rolled to agent:2" });
  });

  it("honours nodeSelector", async () => {
    await h.client.create(daemonSet("ssd-only", { nodeSelector: { disk: "ssd" } }));
    await h.waitFor(async () => nodesOf(await h.pods("app=ssd-only")).join() === "n2", { what: "only n2" });
    await h.waitFor(async () => (await getDs("ssd-only")).status?.desiredNumberScheduled === 1, { what: "status" });
  });
});
