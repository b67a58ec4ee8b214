// Label and field selectors on lists and watches, read from each stored version once: a field
// that changes (a pod's nodeName on binding, its labels on a patch) must be seen at once.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pod, startHarness, type Harness } from "./fixture.js";

const PODS = "/api/v1/namespaces/default/pods";
type Json = Record<string, unknown>;

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  const withNode = (name: string, node: string, labels: Record<string, string>) => ({ ...pod(name, { labels }), spec: { nodeName: node, containers: [{ name: "app", image: "nginx" }] } });
  for (const body of [withNode("a", "n1", { app: "web" }), withNode("b", "n2", { app: "web", tier: "front" }), pod("c", { labels: { app: "db" } })]) {
    expect((await h.request("POST", PODS, { body })).status).toBe(201);
  }
});
afterEach(async () => {
  await h.close();
});

async function listNames(query: string): Promise<string[]> {
  const res = await h.request("GET", `${PODS}?${query}`);
  expect(res.status).toBe(200);
  return (res.json.items as Json[]).map((i) => String((i.metadata as Json).name));
}

describe("list selectors", () => {
  it.each([
    ["labelSelector=app%3Dweb", ["a", "b"]],
    ["labelSelector=app%3Dweb%2C!tier", ["a"]],
    ["labelSelector=app+in+(db%2Cweb)", ["a", "b", "c"]],
    ["fieldSelector=spec.nodeName%3Dn2", ["b"]],
    ["fieldSelector=spec.nodeName%3D", ["c"]],
    ["fieldSelector=spec.nodeName!%3Dn1", ["b", "c"]],
    ["fieldSelector=metadata.name%3Dc", ["c"]],
    ["fieldSelector=metadata.namespace%3Ddefault%2Cspec.nodeName%3Dn1", ["a"]],
    ["labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn2", ["b"]],
    ["labelSelector=app%3Dweb&limit=1", ["a"]],
  ])("%s → %j", async (query, want) => {
    expect(await listNames(query)).toEqual(want);
  });

  it("sees a changed label on the next list", async () => {
    expect(await listNames("labelSelector=app%3Ddb")).toEqual(["c"]);
    await h.request("PATCH", `${PODS}/c`, { body: { metadata: { labels: { app: "web" } } }, contentType: "application/merge-patch+json" });
    expect(await listNames("labelSelector=app%3Ddb")).toEqual([]);
    expect(await listNames("labelSelector=app%3Dweb")).toEqual(["a", "b", "c"]);
  });

  it("refuses a field the kind does not index with 400", async () => {
    const res = await h.request("GET", `${PODS}?fieldSelector=spec.hostname%3Dx`);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ reason: "BadRequest", message: "field label not supported: spec.hostname" });
  });
});

describe("watch selectors", () => {
  it("moves a pod into a spec.nodeName watch when it is bound", async () => {
    const base = await h.server.app.listen({ port: 0, host: "127.0.0.1" });
    const list = await h.request("GET", `${PODS}?fieldSelector=spec.nodeName%3Dn3`);
    const rv = String((list.json.metadata as Json).resourceVersion);
    const controller = new AbortController();
    const res = await fetch(`${base}${PODS}?watch=true&resourceVersion=${rv}&fieldSelector=spec.nodeName%3Dn3`, { signal: controller.signal });
    const binding = { apiVersion: "v1", kind: "Binding", metadata: { name: "c" }, target: { apiVersion: "v1", kind: "Node", name: "n3" } };
    expect((await h.request("POST", `${PODS}/c/binding`, { body: binding })).status).toBe(201);
    const reader = res.body?.getReader();
    if (!reader) throw new Error("no body");
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const event = JSON.parse(text.slice(0, text.indexOf("\n"))) as { type: string; object: Json };
    expect(event.type).toBe("ADDED");
    expect(event.object).toMatchObject({ kind: "Pod", metadata: { name: "c" }, spec: { nodeName: "n3" } });
  });
});
