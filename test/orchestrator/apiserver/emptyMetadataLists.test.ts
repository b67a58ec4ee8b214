// metadata.finalizers and metadata.ownerReferences are omitempty in Kubernetes: however a
// client empties them (merge, JSON or strategic patch, PUT, or a create with []), the stored
// object has no such field, and an object being deleted goes once its last finalizer does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer, type ApiServer } from "../../../orchestrator/apiserver/server.js";
import { openEmbeddedStore } from "../../../orchestrator/store/embedded/index.js";
import type { Store } from "../../../orchestrator/store/types.js";

const CMS = "/api/v1/namespaces/default/configmaps";
type Json = Record<string, unknown>;
let server: ApiServer;
let store: Store;
let url: string;

beforeAll(async () => {
  store = await openEmbeddedStore();
  server = await createApiServer({ store });
  url = await server.app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await server.close();
  await store.close();
});

async function send(method: string, at: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${url}${at}`, { method, headers: body === undefined ? {} : { "content-type": contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

const OWNER = { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "6b3b7c1e-0000-4000-8000-000000000001" };

function configMap(name: string, metadata: Json = {}): Json {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, finalizers: ["example.com/a"], ownerReferences: [OWNER], ...metadata }, data: { k: "v" } };
}

async function replaceWith(name: string, metadata: Json): Promise<{ status: number; json: Json }> {
  const current = (await send("GET", `${CMS}/${name}`)).json;
  return send("PUT", `${CMS}/${name}`, { ...current, metadata: { ...(current.metadata as Json), ...metadata } });
}

describe("emptied metadata lists are omitted", () => {
  it.each<[string, (name: string) => Promise<{ status: number; json: Json }>]>([
    ["a merge patch with []", (n) => send("PATCH", `${CMS}/${n}`, { metadata: { finalizers: [], ownerReferences: [] } }, "application/merge-patch+json")],
    ["a JSON patch removing the last items", (n) => send("PATCH", `${CMS}/${n}`, [{ op: "remove", path: "/metadata/finalizers/0" }, { op: "remove", path: "/metadata/ownerReferences/0" }], "application/json-patch+json")],
    ["a strategic patch deleting from the lists", (n) => send("PATCH", `${CMS}/${n}`, { metadata: { "$deleteFromPrimitiveList/finalizers": ["example.com/a"], ownerReferences: [{ $patch: "delete", uid: OWNER.uid }] } }, "application/strategic-merge-patch+json")],
    ["a PUT with []", (n) => replaceWith(n, { finalizers: [], ownerReferences: [] })],
    ["a PUT with null", (n) => replaceWith(n, { finalizers: null, ownerReferences: null })],
  ])("%s", async (name, write) => {
    const cm = `cm-${name.replace(/\W+/g, "-").replace(/-$/, "").toLowerCase()}`;
    expect((await send("POST", CMS, configMap(cm))).status).toBe(201);
    const res = await write(cm);
    expect(res.status).toBe(200);
    for (const got of [res.json, (await send("GET", `${CMS}/${cm}`)).json]) {
      const m = got.metadata as Json;
      expect(Object.keys(m)).not.toContain("finalizers");
      expect(Object.keys(m)).not.toContain("ownerReferences");
    }
  });

  it("a create with [] stores no field", async () => {
    const res = await send("POST", CMS, configMap("created-empty", { finalizers: [], ownerReferences: [] }));
    expect(res.status).toBe(201);
    expect(Object.keys(res.json.metadata as Json)).not.toContain("finalizers");
    expect(Object.keys(res.json.metadata as Json)).not.toContain("ownerReferences");
  });

  it("an object being deleted goes when a patch empties its finalizers", async () => {
    expect((await send("POST", CMS, configMap("doomed"))).status).toBe(201);
    const marked = await send("DELETE", `${CMS}/doomed`);
    expect((marked.json.metadata as Json).deletionTimestamp).toBeDefined();
    expect((await send("PATCH", `${CMS}/doomed`, { metadata: { finalizers: [] } }, "application/merge-patch+json")).status).toBe(200);
    expect((await send("GET", `${CMS}/doomed`)).status).toBe(404);
  });
});
