import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deployment, pod, startHarness, type Harness } from "./fixture.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("CRUD", () => {
  it("creates a pod with server metadata and defaults, then reads it back", async () => {
    const created = await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("web") });
    expect(created.status).toBe(201);
    const meta = created.json.metadata as Record<string, unknown>;
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.creationTimestamp).toBe("2025-01-01T00:00:00Z");
    expect(meta.generation).toBeUndefined();
    expect(Number(meta.resourceVersion)).toBeGreaterThan(0);
    expect(meta.namespace).toBe("default");
    const spec = created.json.spec as Record<string, unknown>;
    expect(spec.restartPolicy).toBe("Always");
    expect(spec.dnsPolicy).toBe("ClusterFirst");
    expect(spec.terminationGracePeriodSeconds).toBe(30);
    const got = await h.request("GET", "/api/v1/namespaces/default/pods/web");
    expect(got.status).toBe(200);
    expect((got.json.metadata as Record<string, unknown>).resourceVersion).toBe(meta.resourceVersion);
  });

  it("generates names from generateName", async () => {
    const p = pod("");
    (p.metadata as Record<string, unknown>) = { generateName: "web-" };
    const created = await h.request("POST", "/api/v1/namespaces/default/pods", { body: p });
    expect(created.status).toBe(201);
    expect((created.json.metadata as Record<string, unknown>).name).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it("answers 409 AlreadyExists on a duplicate create", async () => {
    await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("web") });
    const again = await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("web") });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ kind: "Status", reason: "AlreadyExists", code: 409, details: { name: "web", kind: "pods" } });
  });

  it("answers 409 Conflict on a stale resourceVersion and keeps the stored object", async () => {
    const created = await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("web") });
    const first = structuredClone(created.json);
    (first.metadata as Record<string, unknown>).labels = { a: "1" };
    expect((await h.request("PUT", "/api/v1/namespaces/default/pods/web", { body: first })).status).toBe(200);
    const stale = structuredClone(created.json);
    (stale.metadata as Record<string, unknown>).labels = { a: "2" };
    const res = await h.request("PUT", "/api/v1/namespaces/default/pods/web", { body: stale });
    expect(res.status).toBe(409);
    expect(res.json.reason).toBe("Conflict");
    const got = await h.request("GET", "/api/v1/namespaces/default/pods/web");
    expect((got.json.metadata as Record<string, unknown>).labels).toEqual({ a: "1" });
  });

  it("bumps generation only on spec changes, for kinds that track it", async () => {
    const url = "/apis/apps/v1/namespaces/default/deployments";
    const created = await h.request("POST", url, { body: deployment("web") });
    const labelled = structuredClone(created.json);
    (labelled.metadata as Record<string, unknown>).labels = { a: "1" };
    const r1 = await h.request("PUT", `${url}/web`, { body: labelled });
    expect((r1.json.metadata as Record<string, unknown>).generation).toBe(1);
    const changed = structuredClone(r1.json);
    (changed.spec as Record<string, unknown>).replicas = 5;
    const r2 = await h.request("PUT", `${url}/web`, { body: changed });
    expect((r2.json.metadata as Record<string, unknown>).generation).toBe(2);
    const cm = await h.request("POST", "/api/v1/namespaces/default/configmaps", { body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } } });
    expect((cm.json.metadata as Record<string, unknown>).generation).toBeUndefined();
  });

  it("lists across namespaces and pages with limit / continue", async () => {
    for (const ns of ["a", "b"]) await h.request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } } });
    for (const [ns, name] of [["a", "p1"], ["a", "p2"], ["b", "p3"]]) {
      expect((await h.request("POST", `/api/v1/namespaces/${ns}/pods`, { body: pod(name) })).status).toBe(201);
    }
    const all = await h.request("GET", "/api/v1/pods");
    expect(all.json.kind).toBe("PodList");
    expect((all.json.items as unknown[]).length).toBe(3);
    const page1 = await h.request("GET", "/api/v1/pods?limit=2");
    expect((page1.json.items as unknown[]).length).toBe(2);
    const token = (page1.json.metadata as Record<string, string>).continue;
    expect(token).toBeTruthy();
    const page2 = await h.request("GET", `/api/v1/pods?limit=2&continue=${encodeURIComponent(token)}`);
    expect((page2.json.items as { metadata: { name: string } }[]).map((p) => p.metadata.name)).toEqual(["p3"]);
    expect((page2.json.metadata as Record<string, string>).continue).toBeUndefined();
  });

  it("deletes an object and then answers 404", async () => {
    await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("web") });
    const del = await h.request("DELETE", "/api/v1/namespaces/default/pods/web");
    expect(del.status).toBe(200);
    const got = await h.request("GET", "/api/v1/namespaces/default/pods/web");
    expect(got.status).toBe(404);
    expect(got.json).toMatchObject({ kind: "Status", status: "Failure", reason: "NotFound", message: 'pods "web" not found' });
  });

  it("serves cluster-scoped resources and the system namespaces", async () => {
    const list = await h.request("GET", "/api/v1/namespaces");
    const names = (list.json.items as { metadata: { name: string }; status: { phase: string } }[]).map((n) => n.metadata.name);
    expect(names).toEqual(expect.arrayContaining(["default", "kube-system", "kube-public", "kube-node-lease"]));
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: "node-1" } };
    expect((await h.request("POST", "/api/v1/nodes", { body: node })).status).toBe(201);
    expect((await h.request("GET", "/api/v1/nodes/node-1")).status).toBe(200);
  });
});

describe("dryRun", () => {
  let d: Harness;
  beforeEach(async () => {
    d = await startHarness();
  });
  afterEach(async () => {
    await d.close();
  });

  it("a dry-run patch answers with the patched object at the current resourceVersion and stores nothing", async () => {
    const created = await d.request("POST", "/api/v1/namespaces/default/configmaps", { body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } } });
    const rv = (created.json.metadata as Record<string, unknown>).resourceVersion;
    const dry = await d.request("PATCH", "/api/v1/namespaces/default/configmaps/c?dryRun=All", { body: { data: { a: "2" } }, contentType: "application/merge-patch+json" });
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", data: { a: "2" }, metadata: { resourceVersion: rv } });
    expect((await d.request("GET", "/api/v1/namespaces/default/configmaps/c")).json.data).toEqual({ a: "1" });
  });
});
