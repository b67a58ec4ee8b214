// Real kubectl listing many objects: Tables over several pages (kubectl asks for 500 rows a
// request and follows continue tokens), selectors, and the JSON list, against a loopback port.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubectlServer, type KubectlServer } from "./fixture.js";

const PODS = 600;
const NS = "big";
let live: KubectlServer;

const kubectl = (...args: string[]): Promise<string> => live.kubectl(["-n", NS, ...args], { timeoutMs: 60_000, maxBuffer: 64 * 1024 * 1024 });

const podName = (i: number) => `pod-${String(i).padStart(4, "0")}`;

beforeAll(async () => {
  live = await startKubectlServer({ dirPrefix: "berth-kubectl-lists-" });
  const { server } = live;
  const post = async (url: string, body: unknown) => {
    const res = await server.app.inject({ method: "POST", url, payload: JSON.stringify(body), headers: { "content-type": "application/json" } });
    if (res.statusCode !== 201) throw new Error(`POST ${url}: ${res.statusCode} ${res.body}`);
  };
  await post("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  for (let i = 0; i < PODS; i++) {
    await post(`/api/v1/namespaces/${NS}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: podName(i), labels: { app: "big", shard: String(i % 10) } },
      spec: { containers: [{ name: "main", image: "nginx:1.27" }] },
    });
  }
}, 120_000);

afterAll(() => live.close());

describe("kubectl get with many objects", () => {
  it("prints every pod as a table row across kubectl's 500-row pages", async () => {
    const lines = (await kubectl("get", "pods")).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines).toHaveLength(PODS + 1);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(Array.from({ length: PODS }, (_, i) => podName(i)));
    expect(lines[1]).toMatch(/^pod-0000\s+0\/1\s+Pending\s+0\s+\S+$/);
  });

  it("follows continue tokens with a small chunk size", async () => {
    const names = (await kubectl("get", "pods", "--chunk-size=97", "-o", "name")).trimEnd().split("\n");
    expect(names).toEqual(Array.from({ length: PODS }, (_, i) => `pod/${podName(i)}`));
  });

  it("filters by label and field selector on the server", async () => {
    const shard = (await kubectl("get", "pods", "-l", "shard=3", "-o", "name")).trimEnd().split("\n");
    expect(shard).toHaveLength(PODS / 10);
    expect(shard[0]).toBe(`pod/${podName(3)}`);
    const one = JSON.parse(await kubectl("get", "pods", "--field-selector", `metadata.name=${podName(42)}`, "-o", "json")) as { items: { metadata: { name: string; resourceVersion: string } }[] };
    expect(one.items.map((p) => p.metadata.name)).toEqual([podName(42)]);
    expect(one.items[0].metadata.resourceVersion).toMatch(/^\d+$/);
  });

  it("watches: the listed rows, then a row per change (kubectl get -w reads Table events)", async () => {
    const child = spawn("kubectl", ["--kubeconfig", live.kubeconfig, "-n", NS, "get", "pods", "-l", "shard=3", "-w"]);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const until = async (what: string, test: () => boolean) => {
      for (let i = 0; i < 300 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!test()) throw new Error(`kubectl get -w never printed ${what}; got:\n${out}`);
    };
    try {
      await until("the listed rows", () => out.split("\n").filter((l) => l.startsWith("pod-")).length === PODS / 10);
      const res = await live.server.app.inject({ method: "POST", url: `/api/v1/namespaces/${NS}/pods`, payload: JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "late", labels: { shard: "3" } }, spec: { containers: [{ name: "main", image: "nginx" }] } }), headers: { "content-type": "application/json" } });
      expect(res.statusCode).toBe(201);
      await until("the new pod", () => /^late\s+0\/1\s+Pending/m.test(out));
    } finally {
      child.kill();
      await live.server.app.inject({ method: "DELETE", url: `/api/v1/namespaces/${NS}/pods/late`, payload: JSON.stringify({ gracePeriodSeconds: 0 }), headers: { "content-type": "application/json" } });
    }
    expect(out.split("\n")[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  });

  it("prints the JSON list with every object whole", async () => {
    const list = JSON.parse(await kubectl("get", "pods", "-o", "json")) as { kind: string; items: { kind: string; apiVersion: string; spec: { containers: unknown[] } }[] };
    expect(list.kind).toBe("List");
    expect(list.items).toHaveLength(PODS);
    for (const item of list.items) expect(item).toMatchObject({ kind: "Pod", apiVersion: "v1", spec: { containers: [{ name: "main", image: "nginx:1.27" }] } });
  });
});
