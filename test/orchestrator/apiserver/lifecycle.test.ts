import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deployment, pod, startHarness, type Harness } from "./fixture.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const DEPLOYS = "/apis/apps/v1/namespaces/default/deployments";
const APPLY = "application/apply-patch+yaml";

describe("server-side apply", () => {
  it("creates, takes ownership, removes dropped fields and reports conflicts", async () => {
    const cm = (data: Record<string, string>) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data });
    const url = "/api/v1/namespaces/default/configmaps/c?fieldManager=me";
    expect((await h.request("PATCH", url, { body: cm({ a: "1", b: "2" }), contentType: APPLY })).status).toBe(200);
    const second = await h.request("PATCH", url, { body: cm({ a: "1" }), contentType: APPLY });
    expect(second.json.data).toEqual({ a: "1" });
    await h.request("PATCH", "/api/v1/namespaces/default/configmaps/c?fieldManager=other", { body: { data: { a: "9" } }, contentType: "application/merge-patch+json" });
    const conflict = await h.request("PATCH", url, { body: cm({ a: "1" }), contentType: APPLY });
    expect(conflict.status).toBe(409);
    expect((conflict.json.details as { causes: { field: string; message: string }[] }).causes[0]).toMatchObject({ field: ".data.a", message: 'conflict with "other" using v1' });
    const forced = await h.request("PATCH", `${url}&force=true`, { body: cm({ a: "1" }), contentType: APPLY });
    expect(forced.json.data).toEqual({ a: "1" });
    const managers = ((forced.json.metadata as { managedFields: { manager: string }[] }).managedFields ?? []).map((m) => m.manager);
    expect(managers).toEqual(["me"]);
  });
});

describe("subresources", () => {
  it("scale reads and writes spec.replicas; status ignores spec changes", async () => {
    await h.request("POST", DEPLOYS, { body: deployment("web", 2) });
    const scale = await h.request("GET", `${DEPLOYS}/web/scale`);
    expect(scale.json).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 2 }, status: { selector: "app=web" } });
    await h.request("PATCH", `${DEPLOYS}/web/scale`, { body: { spec: { replicas: 5 } }, contentType: "application/merge-patch+json" });
    expect(((await h.request("GET", `${DEPLOYS}/web`)).json.spec as { replicas: number }).replicas).toBe(5);
    const status = await h.request("PATCH", `${DEPLOYS}/web/status`, { body: { spec: { replicas: 9 }, status: { replicas: 3 } }, contentType: "application/merge-patch+json" });
    expect(status.json).toMatchObject({ spec: { replicas: 5 }, status: { replicas: 3 } });
    const main = await h.request("PATCH", `${DEPLOYS}/web`, { body: { status: { replicas: 0 } }, contentType: "application/merge-patch+json" });
    expect((main.json.status as { replicas: number }).replicas).toBe(3);
  });

  it("binds a pod to a node once", async () => {
    await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("p") });
    const binding = { apiVersion: "v1", kind: "Binding", metadata: { name: "p" }, target: { kind: "Node", name: "n1" } };
    expect((await h.request("POST", "/api/v1/namespaces/default/pods/p/binding", { body: binding })).status).toBe(201);
    expect(((await h.request("GET", "/api/v1/namespaces/default/pods/p")).json.spec as { nodeName: string }).nodeName).toBe("n1");
    expect((await h.request("POST", "/api/v1/namespaces/default/pods/p/binding", { body: binding })).status).toBe(409);
  });
});

describe("deletion", () => {
  async function ownedConfigMap(ownerUid: string) {
    const ref = { apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: ownerUid, blockOwnerDeletion: true };
    await h.request("POST", "/api/v1/namespaces/default/configmaps", { body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dep", ownerReferences: [ref] } } });
  }

  it.each([
    ["Background", 404],
    ["Orphan", 200],
    ["Foreground", 404],
  ])("propagationPolicy %s", async (policy, dependentStatus) => {
    const created = await h.request("POST", DEPLOYS, { body: deployment("web") });
    await ownedConfigMap((created.json.metadata as { uid: string }).uid);
    await h.request("DELETE", `${DEPLOYS}/web`, { body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: policy } });
    for (let i = 0; i < 5 && (await h.server.gc.runOnce()) > 0; i++);
    expect((await h.request("GET", `${DEPLOYS}/web`)).status).toBe(404);
    const dep = await h.request("GET", "/api/v1/namespaces/default/configmaps/dep");
    expect(dep.status).toBe(dependentStatus);
    if (dependentStatus === 200) expect((dep.json.metadata as Record<string, unknown>).ownerReferences).toBeUndefined();
  });

  it("finishes an Orphan delete in the pass its delete kicked, not a period later", async () => {
    const created = await h.request("POST", DEPLOYS, { body: deployment("web") });
    await ownedConfigMap((created.json.metadata as { uid: string }).uid);
    await h.request("DELETE", `${DEPLOYS}/web`, { body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Orphan" } });
    h.clock.advance(0);
    let status = 200;
    // Only the event loop turns here: the fake clock stays short of the GC's 10 s period.
    for (let i = 0; i < 500 && status !== 404; i++) {
      await new Promise((r) => setImmediate(r));
      status = (await h.request("GET", `${DEPLOYS}/web`)).status;
    }
    expect(status).toBe(404);
  });

  it("keeps an object with finalizers until they are removed", async () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "f", finalizers: ["example.com/hold"] } };
    await h.request("POST", "/api/v1/namespaces/default/configmaps", { body: cm });
    const del = await h.request("DELETE", "/api/v1/namespaces/default/configmaps/f");
    expect(del.status).toBe(202);
    expect((del.json.metadata as Record<string, unknown>).deletionTimestamp).toBeDefined();
    await h.request("PATCH", "/api/v1/namespaces/default/configmaps/f", { body: [{ op: "remove", path: "/metadata/finalizers" }], contentType: "application/json-patch+json" });
    expect((await h.request("GET", "/api/v1/namespaces/default/configmaps/f")).status).toBe(404);
  });

  it("deletes a namespace's contents, then the namespace", async () => {
    await h.request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "tmp" } } });
    await h.request("POST", "/api/v1/namespaces/tmp/pods", { body: pod("p") });
    const del = await h.request("DELETE", "/api/v1/namespaces/tmp");
    expect((del.json.status as { phase: string }).phase).toBe("Terminating");
    expect((await h.request("POST", "/api/v1/namespaces/tmp/pods", { body: pod("q") })).status).toBe(403);
    for (let i = 0; i < 5 && (await h.server.gc.runOnce()) > 0; i++);
    expect((await h.request("GET", "/api/v1/namespaces/tmp/pods/p")).status).toBe(404);
    expect((await h.request("GET", "/api/v1/namespaces/tmp")).status).toBe(404);
  });
});

describe("custom resources", () => {
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"] },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [{ name: "Size", type: "integer", jsonPath: ".spec.size" }],
          schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", required: ["size"], properties: { size: { type: "integer", minimum: 1 } } } } } },
        },
      ],
    },
  };
  const url = "/apis/example.com/v1/namespaces/default/widgets";

  it("serves, validates, prints columns, and stops serving on delete", async () => {
    expect((await h.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: crd })).status).toBe(201);
    const got = await h.request("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
    expect(JSON.stringify(got.json.status)).toContain('"Established"');
    const widget = (size: number) => ({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size } });
    const bad = await h.request("POST", url, { body: widget(0) });
    expect(bad.status).toBe(422);
    expect((bad.json.details as { causes: { field: string }[] }).causes[0].field).toBe("spec.size");
    expect((await h.request("POST", url, { body: widget(3) })).status).toBe(201);
    const table = await h.request("GET", url, { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" });
    expect((table.json.columnDefinitions as { name: string }[]).map((c) => c.name)).toEqual(["Name", "Size"]);
    expect((table.json.rows as { cells: unknown[] }[])[0].cells).toEqual(["w", 3]);
    await h.request("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
    expect((await h.request("GET", url)).status).toBe(404);
  });
});

describe("discovery and tables", () => {
  it("serves the aggregated discovery document kubectl asks for", async () => {
    const res = await h.server.app.inject({ method: "GET", url: "/apis", headers: { accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json" } });
    expect(res.headers["content-type"]).toMatch(/as="?APIGroupDiscoveryList/);
    const doc = JSON.parse(res.body) as { items: { metadata: { name: string } }[] };
    expect(doc.items.map((i) => i.metadata.name)).toContain("apps");
    const legacy = await h.request("GET", "/apis/apps/v1");
    expect((legacy.json.resources as { name: string }[]).map((r) => r.name)).toContain("deployments/scale");
  });

  it("renders pods with kubectl's columns", async () => {
    await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("p") });
    h.clock.advance(125_000);
    const table = await h.request("GET", "/api/v1/namespaces/default/pods", { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" });
    const cols = (table.json.columnDefinitions as { name: string; priority: number }[]).filter((c) => c.priority === 0).map((c) => c.name);
    expect(cols).toEqual(["Name", "Ready", "Status", "Restarts", "Age"]);
    expect((table.json.rows as { cells: unknown[] }[])[0].cells.slice(0, 5)).toEqual(["p", "0/1", "Pending", 0, "2m5s"]);
  });
});
