// Bad input through kubectl and raw HTTP: each gets the Status a real API server answers
// with, and nothing half-written is left behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c.stop();
});

interface StatusBody {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { causes?: Array<{ field?: string }> };
}

async function send(method: string, path: string, body: string | Buffer, contentType = "application/json"): Promise<StatusBody> {
  const withBody = method !== "GET" && method !== "DELETE";
  const res = await c.fetch(path, { method, body: withBody ? body : undefined, headers: { "content-type": contentType } });
  const json = (await res.json()) as StatusBody;
  if (json.kind === "Status") expect(json.code).toBe(res.status);
  return json;
}

const CM = "/api/v1/namespaces/default/configmaps";

describe("raw HTTP", () => {
  it.each([
    ["malformed JSON", "POST", CM, '{"apiVersion":"v1",', "application/json", 400, "BadRequest"],
    ["malformed YAML", "POST", CM, "apiVersion: v1\nkind: [ConfigMap\n", "application/yaml", 400, "BadRequest"],
    ["a name that is not a DNS name", "POST", CM, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}', "application/json", 422, "Invalid"],
    ["an unknown resource", "GET", "/api/v1/namespaces/default/widgets", "", "application/json", 404, "NotFound"],
    ["a kind that does not match the URL", "POST", CM, '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}', "application/json", 400, "BadRequest"],
  ])("%s", async (_what, method, path, body, type, code, reason) => {
    const s = await send(method, path, body, type);
    expect(s).toMatchObject({ kind: "Status", code, reason });
  });

  it("rejects a body over 3 MiB with 413", async () => {
    const big = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big" }, data: { x: "a".repeat(3 * 1024 * 1024 + 10) } });
    const s = await send("POST", CM, big);
    expect(s).toMatchObject({ kind: "Status", code: 413, reason: "RequestEntityTooLarge" });
    const after = await c.fetch(`${CM}/big`);
    expect(after.status).toBe(404);
  });

  it("a stale resourceVersion on update is a 409 Conflict", async () => {
    await send("POST", CM, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cas" }, data: { v: "1" } }));
    const first = (await (await c.fetch(`${CM}/cas`)).json()) as { metadata: { resourceVersion: string } };
    const stale = first.metadata.resourceVersion;
    await send("PUT", `${CM}/cas`, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cas", resourceVersion: stale }, data: { v: "2" } }));
    const s = await send("PUT", `${CM}/cas`, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cas", resourceVersion: stale }, data: { v: "3" } }));
    expect(s).toMatchObject({ code: 409, reason: "Conflict" });
    expect(s.message).toContain('Operation cannot be fulfilled on configmaps "cas"');
  });

  it("creating an existing name is 409 AlreadyExists", async () => {
    const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "twice" } });
    await send("POST", CM, body);
    expect(await send("POST", CM, body)).toMatchObject({ code: 409, reason: "AlreadyExists", message: 'configmaps "twice" already exists' });
  });
});

describe("through kubectl", () => {
  it("an unknown kind", async () => {
    const r = await c.kubectl(["apply", "-f", "-"], { input: "apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no matches for kind "Widget" in version "v1"');
  });

  it("a bad name", async () => {
    const r = await c.kubectl(["create", "configmap", "Not_A_Name"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ConfigMap "Not_A_Name" is invalid');
  });

  it("a value of the wrong type (YAML's y is a bool) is kube-apiserver's 400", async () => {
    const r = await c.kubectl(["create", "-f", "-"], { input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\ndata:\n  answer: y\n" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string');
  });

  it("a malformed manifest never reaches the server", async () => {
    const r = await c.kubectl(["apply", "-f", "-"], { input: "apiVersion: v1\nkind: ConfigMap\nmetadata: [\n" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/error converting YAML to JSON|yaml:/);
  });
});
