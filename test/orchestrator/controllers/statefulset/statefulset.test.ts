// StatefulSet controller against a real in-process API server.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Informer } from "../../../../kube/client/index.js";
import { isKind } from "../../../../orchestrator/controllers/shared/informers.js";
import { startHarness, type Harness } from "../shared/fixture.js";

let h: Harness;
const allowed = new Set<string>();

beforeAll(async () => {
  h = await startHarness({ driver: { ready: (p) => allowed.has(p.metadata.name ?? "") || !String(p.metadata.name).startsWith("web-") } });
});

afterAll(async () => {
  await h.close();
});

function statefulSet(name: string, replicas: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "nginx:1" }] } },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      ...extra,
    },
  };
}

const ref = (name: string) => ({ apiVersion: "apps/v1", kind: "StatefulSet", name, namespace: "default" });

async function getSet(name: string): Promise<V1StatefulSet> {
  const s = await h.client.get(ref(name));
  if (!isKind(s, "StatefulSet")) throw new Error("not a statefulset");
  return s;
}

const names = (pods: V1Pod[]): string[] => pods.map((p) => p.metadata?.name ?? "").sort();

async function claimNames(): Promise<string[]> {
  const list = await h.client.list({ apiVersion: "v1", kind: "PersistentVolumeClaim" }, { namespace: "default" });
  return list.items.map((c) => c.metadata.name ?? "").sort();
}

describe("StatefulSet controller", () => {
  it("creates web-0, web-1, web-2 in order with PVCs, and scales down from the top", async () => {
    await h.client.create(statefulSet("web", 3));
    await h.waitFor(async () => names(await h.pods("app=web")).length === 1, { what: "web-0" });
    // web-0 is not ready yet: no web-1 however long we wait.
    for (let i = 0; i < 3; i++) {
      h.clock.advance(1000);
      await new Promise((r) => setTimeout(r, 50));
      expect(names(await h.pods("app=web"))).toEqual(["web-0"]);
    }
    const web0 = (await h.pods("app=web"))[0];
    expect(web0.spec?.hostname).toBe("web-0");
    expect(web0.spec?.subdomain).toBe("web");
    expect(web0.metadata?.labels?.["statefulset.kubernetes.io/pod-name"]).toBe("web-0");
    expect(web0.spec?.volumes?.find((v) => v.name === "data")?.persistentVolumeClaim?.claimName).toBe("data-web-0");
    expect(await claimNames()).toEqual(["data-web-0"]);
    for (const [next, expected] of [["web-0", ["web-0", "web-1"]], ["web-1", ["web-0", "web-1", "web-2"]]] as const) {
      allowed.add(next);
      // Touch the pod so the driver sees it again and marks it ready.
      await h.client.patch({ apiVersion: "v1", kind: "Pod", name: next, namespace: "default" }, { metadata: { labels: { touched: "yes" } } }, { type: "merge" });
      await h.waitFor(async () => names(await h.pods("app=web")).join() === expected.join(), { what: expected.join() });
    }
    allowed.add("web-2");
    await h.client.patch({ apiVersion: "v1", kind: "Pod", name: "web-2", namespace: "default" }, { metadata: { labels: { touched: "yes" } } }, { type: "merge" });
    await h.waitFor(async () => (await getSet("web")).status?.readyReplicas === 3, { what: "3 ready" });
    expect(await claimNames()).toEqual(["data-web-0", "data-web-1", "data-web-2"]);
    const status = (await getSet("web")).status;
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    expect(status?.currentRevision).toBe(status?.updateRevision);

    // Watch deletions to see their order, which polling could miss.
    const deleted: string[] = [];
    const watch = new Informer(h.client, { apiVersion: "v1", kind: "Pod" }, { namespace: "default" });
    watch.addHandlers({ delete: (p) => deleted.push(p.metadata.name ?? "") });
    await watch.start();
    await h.client.patch(ref("web"), { spec: { replicas: 1 } }, { type: "merge" });
    await h.waitFor(async () => names(await h.pods("app=web")).join() === "web-0" && deleted.length === 2, { what: "scaled to 1" });
    watch.stop();
    expect(deleted).toEqual(["web-2", "web-1"]);
    // PVCs are retained on scale down.
    expect(await claimNames()).toEqual(["data-web-0", "data-web-1", "data-web-2"]);
  });

  it("rolls ordinals at or above the partition, highest first", async () => {
    for (let i = 0; i < 3; i++) allowed.add(`web-p-${i}`);
    h.driver.ready = () => true;
    await h.client.create(statefulSet("web-p", 3, { podManagementPolicy: "Parallel", updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }));
    await h.waitFor(async () => (await getSet("web-p")).status?.readyReplicas === 3, { what: "web-p ready" });
    const before = (await getSet("web-p")).status?.updateRevision;
    await h.client.patch(ref("web-p"), { spec: { template: { spec: { containers: [{ name: "c", image: "nginx:2" }] } } } }, { type: "strategic" });
    const image = async (): Promise<Record<string, string>> =>
      Object.fromEntries((await h.pods("app=web-p")).map((p) => [p.metadata?.name ?? "", p.spec?.containers[0]?.image ?? ""]));
    await h.waitFor(async () => {
      const i = await image();
      return i["web-p-2"] === "nginx:2" && i["web-p-1"] === "nginx:2" && Object.keys(i).length === 3 && (await getSet("web-p")).status?.updatedReplicas === 2;
    }, { what: "partitioned update" });
    expect((await image())["web-p-0"]).toBe("nginx:1");
    const status = (await getSet("web-p")).status;
    expect(status?.updateRevision).not.toBe(before);
    expect(status?.currentRevision).toBe(before);
    const revisions = await h.client.list({ apiVersion: "apps/v1", kind: "ControllerRevision" }, { namespace: "default" });
    expect(revisions.items.filter((r) => r.metadata.name?.startsWith("web-p-")).length).toBe(2);
  });

  it("kubectl rollout history and undo work on ControllerRevisions", async () => {
    const run = promisify(execFile);
    const kubectl = async (...args: string[]): Promise<string> => (await run("/usr/bin/kubectl", ["--kubeconfig", h.kubeconfigPath, ...args], { timeout: 30_000 })).stdout;
    await h.client.create(statefulSet("undo", 2, { podManagementPolicy: "Parallel" }));
    await h.waitFor(async () => (await getSet("undo")).status?.readyReplicas === 2, { what: "undo ready" });
    await kubectl("set", "image", "statefulset/undo", "c=nginx:2");
    const images = async (): Promise<string[]> => (await h.pods("app=undo")).map((p) => p.spec?.containers[0]?.image ?? "").sort();
    await h.waitFor(async () => (await images()).join() === "nginx:2,nginx:2" && (await getSet("undo")).status?.updatedReplicas === 2, { what: "undo rolled to 2" });
    expect(await kubectl("rollout", "history", "statefulset/undo")).toMatch(/1\s+<none>[\s\S]*2\s+<none>/);
    await kubectl("rollout", "undo", "statefulset/undo");
    await h.waitFor(async () => (await images()).join() === "nginx:1,nginx:1" && (await getSet("undo")).status?.updatedReplicas === 2, { what: "undo back to 1" });
  });
});
