import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pod, startHarness, type Harness } from "./fixture.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("bad input answers with a Kubernetes Status", () => {
  it.each([
    ["malformed JSON", "POST", "/api/v1/namespaces/default/pods", "{not json", "application/json", 400, "BadRequest"],
    ["malformed YAML", "POST", "/api/v1/namespaces/default/pods", "metadata: [unclosed", "application/yaml", 400, "BadRequest"],
    ["unknown resource", "GET", "/api/v1/namespaces/default/gizmos", undefined, undefined, 404, "NotFound"],
    ["unknown group", "GET", "/apis/nope.example.com/v1/things", undefined, undefined, 404, "NotFound"],
    ["bad label selector", "GET", "/api/v1/pods?labelSelector=a%20in%20(", undefined, undefined, 400, "BadRequest"],
    ["unsupported field selector", "GET", "/api/v1/pods?fieldSelector=spec.image%3Dx", undefined, undefined, 400, "BadRequest"],
    ["unknown patch type", "PATCH", "/api/v1/namespaces/default/pods/x", "{}", "text/plain", 415, "UnsupportedMediaType"],
  ] as const)("%s", async (_name, method, url, body, contentType, code, reason) => {
    const res = await h.request(method, url, { body, contentType });
    expect(res.status).toBe(code);
    expect(res.json).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason, code });
  });

  it("rejects a name that is not DNS-1123 with 422 and a cause on metadata.name", async () => {
    const res = await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("Bad_Name") });
    expect(res.status).toBe(422);
    expect(res.json.reason).toBe("Invalid");
    expect(res.json.message).toContain('Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"');
    expect((res.json.details as { causes: { field: string }[] }).causes[0].field).toBe("metadata.name");
    // Invalid names the Kind (kubectl prints `The Pod "Bad_Name" is invalid`); NotFound etc. the resource.
    expect((res.json.details as { kind: string }).kind).toBe("Pod");
    expect((await h.request("GET", "/api/v1/namespaces/default/pods")).json.items).toEqual([]);
  });

  it("rejects a pod without an image, naming the field", async () => {
    const p = pod("web");
    (p.spec as { containers: Record<string, unknown>[] }).containers[0].image = undefined;
    const res = await h.request("POST", "/api/v1/namespaces/default/pods", { body: p });
    expect(res.status).toBe(422);
    expect((res.json.details as { causes: { field: string }[] }).causes.map((c) => c.field)).toContain("spec.containers[0].image");
  });

  it("rejects a deployment whose selector does not match its template", async () => {
    const dep = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d" },
      spec: { selector: { matchLabels: { app: "a" } }, template: { metadata: { labels: { app: "b" } }, spec: { containers: [{ name: "c", image: "i" }] } } },
    };
    const res = await h.request("POST", "/apis/apps/v1/namespaces/default/deployments", { body: dep });
    expect(res.status).toBe(422);
    expect(res.json.message).toContain("`selector` does not match template `labels`");
  });

  it("answers 413 for a body over 3 MiB and stores nothing", async () => {
    const big = pod("big");
    (big.metadata as Record<string, unknown>).annotations = { blob: "x".repeat(3 * 1024 * 1024 + 10) };
    const res = await h.request("POST", "/api/v1/namespaces/default/pods", { body: big });
    expect(res.status).toBe(413);
    expect(res.json.reason).toBe("RequestEntityTooLarge");
    expect((await h.request("GET", "/api/v1/namespaces/default/pods/big")).status).toBe(404);
  });

  it("accepts application/yaml bodies", async () => {
    const yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: '1'\n";
    const res = await h.request("POST", "/api/v1/namespaces/default/configmaps", { body: yaml, contentType: "application/yaml" });
    expect(res.status).toBe(201);
    expect(res.json.data).toEqual({ a: "1" });
  });

  it("rejects a kind that does not match the endpoint", async () => {
    const res = await h.request("POST", "/api/v1/namespaces/default/configmaps", { body: pod("x") });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("does not match the expected kind (ConfigMap)");
  });

  it("refuses to create in a missing namespace", async () => {
    const res = await h.request("POST", "/api/v1/namespaces/nope/pods", { body: pod("x") });
    expect(res.status).toBe(404);
    expect(res.json.message).toBe('namespaces "nope" not found');
  });
});
