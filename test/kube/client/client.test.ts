import type { V1ConfigMap, V1Deployment } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, KubeError, NotFoundError } from "../../../core/errors.js";
import { apiStatusOf, type KubeClient } from "../../../kube/client/index.js";
import { eventually, startKube, type KubeFixture } from "../fixture.js";

let kube: KubeFixture;
let client: KubeClient;

beforeAll(async () => {
  kube = await startKube();
  client = kube.client({ namespace: "client-test" });
  await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "client-test" } });
});
afterAll(() => kube.close());

const CM = { apiVersion: "v1", kind: "ConfigMap" };

function configMap(name: string, data: Record<string, string>, labels: Record<string, string> = {}): V1ConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels }, data };
}

function deployment(name: string): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } },
  };
}

describe("KubeClient CRUD", () => {
  it("creates typed objects in the default namespace and reads them back", async () => {
    const created = await client.create(configMap("one", { a: "1" }));
    expect(created.metadata.namespace).toBe("client-test");
    expect(created.metadata.uid).toBeTruthy();
    const got = await client.get({ ...CM, name: "one" });
    expect(got.data).toEqual({ a: "1" });
    expect(await client.tryGet({ ...CM, name: "absent" })).toBeUndefined();
  });

  it("ignores a namespace for cluster-scoped kinds", async () => {
    const ns = await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "cluster-scoped-check", namespace: "client-test" } });
    expect(ns.metadata.namespace).toBeUndefined();
    expect((await client.get({ apiVersion: "v1", kind: "Namespace", name: "cluster-scoped-check" })).metadata.name).toBe("cluster-scoped-check");
  });

  it("lists with label selectors across pages", async () => {
    for (let i = 0; i < 5; i++) await client.create(configMap(`paged-${i}`, { i: String(i) }, { group: "paged" }));
    await client.create(configMap("other", {}, { group: "other" }));
    const page = await client.listPage(CM, { labelSelector: "group=paged", limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.continue).toBeTruthy();
    const all = await client.list(CM, { labelSelector: "group=paged", limit: 2 });
    expect(all.items.map((o) => o.metadata.name)).toEqual(["paged-0", "paged-1", "paged-2", "paged-3", "paged-4"]);
    expect(all.items.every((o) => o.kind === "ConfigMap")).toBe(true);
    expect(all.resourceVersion).toMatch(/^\d+$/);
  });

  it("maps a stale update to a ConflictError carrying the Status", async () => {
    const live = await client.create(configMap("cas", { v: "1" }));
    await client.update({ ...live, data: { v: "2" } });
    let caught: unknown;
    try {
      await client.update({ ...live, data: { v: "3" } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConflictError);
    expect(apiStatusOf(caught)).toMatchObject({ code: 409, reason: "Conflict" });
    expect(String(caught)).toMatch(/update configmaps\/cas -n client-test/);
  });

  it("maps 404 to NotFoundError naming the object", async () => {
    await expect(client.get({ ...CM, name: "nope" })).rejects.toThrow(NotFoundError);
    await expect(client.get({ ...CM, name: "nope" })).rejects.toThrow(/get configmaps\/nope -n client-test/);
  });

  it("maps other failures (422) to KubeError with the server's message", async () => {
    const err = await client.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad_Name" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(apiStatusOf(err)?.code).toBe(422);
  });

  it("patches with merge, json and strategic patches", async () => {
    await client.create(configMap("patched", { a: "1" }));
    const ref = { ...CM, name: "patched" };
    await client.patch(ref, { data: { b: "2" } }, { type: "merge" });
    await client.patch(ref, [{ op: "add", path: "/data/c", value: "3" }], { type: "json" });
    const after = await client.patch(ref, { data: { d: "4" } }, { type: "strategic" });
    expect(after.data).toEqual({ a: "1", b: "2", c: "3", d: "4" });
  });

  it("applies server-side with a field manager; conflicts name the manager and force takes the field", async () => {
    await client.apply(configMap("ssa", { owned: "berth" }), { fieldManager: "berth" });
    const err = await client.apply(configMap("ssa", { owned: "intruder" }), { fieldManager: "intruder" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(apiStatusOf(err)?.causes.some((c) => c.field === ".data.owned" && /berth/.test(c.message ?? ""))).toBe(true);
    const forced = await client.apply(configMap("ssa", { owned: "intruder" }), { fieldManager: "intruder", force: true });
    expect(forced.data).toEqual({ owned: "intruder" });
  });

  it("dry-run writes persist nothing", async () => {
    await client.apply(configMap("dry", { a: "1" }), { dryRun: true });
    await client.create(configMap("dry2", {}), { dryRun: true });
    expect(await client.tryGet({ ...CM, name: "dry" })).toBeUndefined();
    expect(await client.tryGet({ ...CM, name: "dry2" })).toBeUndefined();
  });

  it("updates status through the status subresource only", async () => {
    const live = await client.create(deployment("web"));
    const updated = await client.updateStatus({ ...live, spec: { replicas: 9 }, status: { observedGeneration: 1, replicas: 1 } });
    expect(updated.status).toMatchObject({ observedGeneration: 1, replicas: 1 });
    expect(updated.spec).toMatchObject({ replicas: 1 });
  });

  it("deletes with a propagation policy", async () => {
    await client.create(configMap("doomed", {}));
    await client.delete({ ...CM, name: "doomed" }, { propagationPolicy: "Foreground" });
    await eventually(async () => (await client.tryGet({ ...CM, name: "doomed" })) === undefined, "doomed deleted");
    await expect(client.delete({ ...CM, name: "doomed" })).rejects.toThrow(NotFoundError);
  });
});

describe("discovery", () => {
  const WIDGET = { apiVersion: "example.com/v1", kind: "Widget" };

  it("reports an unknown kind by kind and version", async () => {
    await expect(client.get({ apiVersion: "v1", kind: "Gizmo", name: "x" })).rejects.toThrow(/no matches for kind "Gizmo" in version "v1"/);
  });

  it("finds a CRD created while the client runs", async () => {
    await expect(client.list(WIDGET)).rejects.toThrow(NotFoundError);
    await client.create({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: {
        group: "example.com",
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } }, subresources: { status: {} } }],
      },
    });
    await eventually(async () => (await client.list(WIDGET).then(() => true, () => false)), "widgets served");
    const w = await client.create({ ...WIDGET, metadata: { name: "w1" }, spec: { size: 3 } });
    expect(w.metadata.namespace).toBe("client-test");
    const mapping = await client.mapper.mapping(WIDGET);
    expect(mapping).toMatchObject({ resource: "widgets", namespaced: true, hasStatus: true });
  });
});
