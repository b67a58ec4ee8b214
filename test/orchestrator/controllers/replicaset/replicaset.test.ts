// ReplicaSet controller against a real in-process API server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../shared/fixture.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

function replicaSet(name: string, replicas: number): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "default" },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } } },
  };
}

async function rsStatus(name: string): Promise<Record<string, unknown>> {
  const rs = await h.client.get({ apiVersion: "apps/v1", kind: "ReplicaSet", name, namespace: "default" });
  const status = rs.status;
  return typeof status === "object" && status !== null ? { ...status } : {};
}

describe("ReplicaSet controller", () => {
  it("creates replicas with a controller reference, reports status, and scales down", async () => {
    await h.client.create(replicaSet("web", 3));
    await h.waitFor(async () => (await rsStatus("web")).availableReplicas === 3, { what: "3 available" });
    const pods = await h.pods("app=web");
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", name: "web", controller: true });
    }
    expect(await rsStatus("web")).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, observedGeneration: 1 });
    await h.client.patch({ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", namespace: "default" }, { spec: { replicas: 1 } }, { type: "merge" });
    await h.waitFor(async () => (await h.pods("app=web")).length === 1 && (await rsStatus("web")).replicas === 1, { what: "scaled to 1" });
  });

  it("adopts a matching orphan and releases a pod whose labels stop matching", async () => {
    await h.client.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "stray", labels: { app: "adopt" } }, spec: { containers: [{ name: "c", image: "nginx" }] } });
    await h.client.create(replicaSet("adopt", 2));
    await h.waitFor(async () => (await rsStatus("adopt")).replicas === 2, { what: "2 replicas" });
    const pods = await h.pods("app=adopt");
    expect(pods.map((p) => p.metadata?.name)).toContain("stray");
    const stray = pods.find((p) => p.metadata?.name === "stray");
    expect(stray?.metadata?.ownerReferences?.[0]?.name).toBe("adopt");
    await h.client.patch({ apiVersion: "v1", kind: "Pod", name: "stray", namespace: "default" }, { metadata: { labels: { app: "gone" } } }, { type: "merge" });
    await h.waitFor(async () => (await h.pods("app=adopt")).length === 2 && ((await h.pods("app=gone"))[0]?.metadata?.ownerReferences ?? []).length === 0 && (await h.pods("app=gone")).length === 1, { what: "released and replaced" });
  });
});
