// Metadata-only reads over real HTTP, with the Accept headers client-go's metadata client sends:
// PartialObjectMetadataList for lists, PartialObjectMetadata for gets and watch events, 406 for
// conversions the server cannot do. Lists and gets are also checked against the full objects.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deployment, pod, startHarness, type Harness } from "./fixture.js";

const asMeta = (as: string, version = "v1") =>
  `application/vnd.kubernetes.protobuf;as=${as};g=meta.k8s.io;v=${version},application/json;as=${as};g=meta.k8s.io;v=${version},application/json`;
const META_LIST = asMeta("PartialObjectMetadataList");
const META = asMeta("PartialObjectMetadata");
const PODS = "/api/v1/namespaces/default/pods";

type Json = Record<string, unknown>;

let h: Harness;
let base = "";
beforeEach(async () => {
  h = await startHarness();
  base = await h.server.app.listen({ port: 0, host: "127.0.0.1" });
});
afterEach(async () => {
  await h.close();
});

async function get(path: string, accept?: string): Promise<{ status: number; type: string; json: Json }> {
  const res = await fetch(`${base}${path}`, { headers: accept ? { accept } : {} });
  return { status: res.status, type: res.headers.get("content-type") ?? "", json: (await res.json()) as Json };
}

/** Creates p0…p<count-1>; returns the created objects as the POSTs answered them. */
async function createPods(count: number): Promise<Json[]> {
  const created: Json[] = [];
  for (let i = 0; i < count; i++) {
    const res = await h.request("POST", PODS, { body: pod(`p${i}`, { labels: { app: "web", idx: String(i % 2) } }) });
    expect(res.status).toBe(201);
    created.push(res.json);
  }
  return created;
}

const items = (json: Json) => json.items as Json[];
const names = (json: Json) => items(json).map((i) => (i.metadata as Json).name);

describe("metadata-only lists", () => {
  it("answers PartialObjectMetadataList with each object's full metadata and nothing else", async () => {
    const created = await createPods(3);
    const full = await get(PODS);
    // The spliced list holds exactly the objects the writes answered with (parsed and re-serialised).
    expect(items(full.json)).toEqual(created);
    const partial = await get(PODS, META_LIST);
    expect(partial.status).toBe(200);
    expect(partial.type).toContain("application/json");
    expect(partial.json).toMatchObject({ kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion: (full.json.metadata as Json).resourceVersion } });
    expect(items(partial.json)).toEqual(items(full.json).map((o) => ({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata })));
    expect((items(partial.json)[0].metadata as Json).resourceVersion).toMatch(/^\d+$/);
  });

  it("serves meta.k8s.io/v1beta1 too", async () => {
    await createPods(1);
    const res = await get(PODS, asMeta("PartialObjectMetadataList", "v1beta1"));
    expect(res.json).toMatchObject({ kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1beta1" });
    expect(items(res.json)[0]).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1beta1", metadata: { name: "p0" } });
  });

  it("keeps limit, continue and selectors", async () => {
    await createPods(5);
    const first = await get(`${PODS}?limit=2`, META_LIST);
    expect(names(first.json)).toEqual(["p0", "p1"]);
    const token = (first.json.metadata as Json).continue;
    expect(typeof token).toBe("string");
    const second = await get(`${PODS}?limit=2&continue=${encodeURIComponent(String(token))}`, META_LIST);
    expect(names(second.json)).toEqual(["p2", "p3"]);
    expect((second.json.metadata as Json).resourceVersion).toBe((first.json.metadata as Json).resourceVersion);
    const selected = await get(`${PODS}?labelSelector=idx%3D1`, META_LIST);
    expect(names(selected.json)).toEqual(["p1", "p3"]);
  });

  it("lists across namespaces and in other groups", async () => {
    expect((await h.request("POST", "/apis/apps/v1/namespaces/default/deployments", { body: deployment("web") })).status).toBe(201);
    const res = await get("/apis/apps/v1/deployments", META_LIST);
    expect(items(res.json)).toHaveLength(1);
    expect(items(res.json)[0]).toMatchObject({ kind: "PartialObjectMetadata", metadata: { name: "web", namespace: "default", generation: 1 } });
    expect(items(res.json)[0]).not.toHaveProperty("spec");
  });
});

describe("metadata-only gets", () => {
  it("answers PartialObjectMetadata for one object, and the whole object without the header", async () => {
    await createPods(1);
    const full = await get(`${PODS}/p0`);
    const partial = await get(`${PODS}/p0`, META);
    expect(partial.status).toBe(200);
    expect(partial.json).toEqual({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: full.json.metadata });
    expect(full.json).toMatchObject({ kind: "Pod", apiVersion: "v1", spec: { containers: [{ name: "app" }] } });
  });

  it("answers 404 for a missing object", async () => {
    const res = await get(`${PODS}/nope`, META);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ kind: "Status", reason: "NotFound" });
  });
});

describe("bad Accept headers", () => {
  it.each([
    [PODS, "application/json;as=Unknown;g=meta.k8s.io;v=v1", "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf"],
    [PODS, "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v2", "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf"],
    [PODS, "application/json;as=PartialObjectMetadataList;g=example.com;v=v1", "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf"],
    [PODS, "text/plain", "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf"],
    [PODS, META, "you requested PartialObjectMetadata, but the requested object is a list"],
    [`${PODS}/p0`, META_LIST, "you requested PartialObjectMetadataList, but the requested object is not a list"],
    [`${PODS}?watch=true`, META_LIST, "you requested PartialObjectMetadataList, but the requested object is not a list"],
  ])("GET %s with Accept %j → 406", async (path, accept, message) => {
    await createPods(1);
    const res = await get(path, accept);
    expect(res.status).toBe(406);
    expect(res.json).toMatchObject({ kind: "Status", status: "Failure", reason: "NotAcceptable", code: 406, message });
  });

  it("falls back to the next clause when one asks for an unknown conversion", async () => {
    await createPods(1);
    const res = await get(PODS, "application/json;as=Unknown;g=meta.k8s.io;v=v1,application/json");
    expect(res.status).toBe(200);
    expect(res.json.kind).toBe("PodList");
  });

  it("refuses an unknown includeObject on a Table with 400", async () => {
    const res = await get(`${PODS}?includeObject=Everything`, "application/json;as=Table;v=v1;g=meta.k8s.io");
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ reason: "BadRequest", message: 'unrecognized includeObject value: "Everything"' });
  });
});

describe("Table rows", () => {
  const TABLE = (version: string) => `application/json;as=Table;v=${version};g=meta.k8s.io,application/json`;

  it.each([
    ["", "v1"],
    ["?includeObject=Metadata", "v1beta1"],
  ])("carry PartialObjectMetadata row objects (%s, %s)", async (query, version) => {
    await createPods(2);
    const full = await get(PODS);
    const table = await get(`${PODS}${query}`, TABLE(version));
    expect(table.json).toMatchObject({ kind: "Table", apiVersion: `meta.k8s.io/${version}`, metadata: { resourceVersion: (full.json.metadata as Json).resourceVersion } });
    const rows = table.json.rows as { cells: unknown[]; object: Json }[];
    expect(rows.map((r) => r.cells[0])).toEqual(["p0", "p1"]);
    expect(rows.map((r) => r.object)).toEqual(items(full.json).map((o) => ({ kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata })));
  });

  it("carry the whole object with includeObject=Object and none with None", async () => {
    await createPods(1);
    const full = await get(`${PODS}/p0`);
    const withObject = await get(`${PODS}/p0?includeObject=Object`, TABLE("v1"));
    expect((withObject.json.rows as { object: Json }[])[0].object).toEqual(full.json);
    const without = await get(`${PODS}?includeObject=None`, TABLE("v1"));
    expect((without.json.rows as Json[])[0]).not.toHaveProperty("object");
  });

  it("come one Table per event on a watch (kubectl get -w)", async () => {
    await createPods(1);
    const controller = new AbortController();
    const res = await fetch(`${base}${PODS}?watch=true&resourceVersion=0`, { headers: { accept: TABLE("v1") }, signal: controller.signal });
    const events = readLines(res, 2);
    await h.request("DELETE", `${PODS}/p0`, { body: { gracePeriodSeconds: 0 } });
    const got = await events;
    controller.abort();
    expect(got.map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
    for (const e of got) {
      expect(e.object).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1" });
      const rows = e.object.rows as { cells: unknown[]; object: Json }[];
      expect(rows).toHaveLength(1);
      expect(rows[0].cells[0]).toBe("p0");
      expect(rows[0].object).toMatchObject({ kind: "PartialObjectMetadata", metadata: { name: "p0" } });
    }
    const deletedRv = ((got[1].object.rows as { object: Json }[])[0].object.metadata as Json).resourceVersion;
    expect((got[1].object.metadata as Json).resourceVersion).toBe(deletedRv);
  });
});

describe("metadata-only watch", () => {
  it("sends PartialObjectMetadata for initial, added, modified and deleted objects, and bookmarks", async () => {
    await createPods(1);
    const controller = new AbortController();
    const res = await fetch(`${base}${PODS}?watch=true&resourceVersion=0&allowWatchBookmarks=true&sendInitialEvents=true`, { headers: { accept: META }, signal: controller.signal });
    expect(res.status).toBe(200);
    const events = readLines(res, 5);
    await h.request("POST", PODS, { body: pod("late") });
    await h.request("PATCH", `${PODS}/late`, { body: { metadata: { labels: { v: "2" } } }, contentType: "application/merge-patch+json" });
    await h.request("DELETE", `${PODS}/late`, { body: { gracePeriodSeconds: 0 } });
    const got = await events;
    controller.abort();
    expect(got.map((e) => e.type)).toEqual(["ADDED", "BOOKMARK", "ADDED", "MODIFIED", "DELETED"]);
    for (const e of got) expect(e.object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1" });
    for (const e of got) expect(Object.keys(e.object).sort()).toEqual(["apiVersion", "kind", "metadata"]);
    expect((got[1].object.metadata as Json).annotations).toEqual({ "k8s.io/initial-events-end": "true" });
    expect((got[3].object.metadata as Json).labels).toEqual({ v: "2" });
    const rvs = got.slice(2).map((e) => Number((e.object.metadata as Json).resourceVersion));
    expect(rvs[1]).toBeGreaterThan(rvs[0]);
    expect(rvs[2]).toBeGreaterThan(rvs[1]);
  });
});

/** The first `count` newline-delimited watch events of a response. */
async function readLines(res: Response, count: number): Promise<{ type: string; object: Json }[]> {
  const reader = res.body?.getReader();
  if (!reader) throw new Error("no body");
  const events: { type: string; object: Json }[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      events.push(JSON.parse(buffer.slice(0, nl)) as { type: string; object: Json });
      buffer = buffer.slice(nl + 1);
    }
  }
  return events;
}
