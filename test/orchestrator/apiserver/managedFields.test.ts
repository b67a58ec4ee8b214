// managedFields as kube-apiserver records them for Update operations: a map or list item that
// appears carries "." beside its keys; structs do not; Apply records no "." for maps.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deployment, startHarness, type Harness } from "./fixture.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function fieldsOf(obj: Record<string, unknown>, manager: string): unknown {
  const meta = obj.metadata as { managedFields?: Array<{ manager: string; fieldsV1: unknown }> };
  return meta.managedFields?.find((e) => e.manager === manager)?.fieldsV1;
}

describe("managedFields (FieldsV1)", () => {
  it("marks maps and keyed list items with '.', not structs", async () => {
    const created = await h.request("POST", "/apis/apps/v1/namespaces/default/deployments?fieldManager=tester", { body: deployment("web") });
    expect(created.status).toBe(201);
    const f = fieldsOf(created.json, "tester");
    expect(f).toMatchObject({
      "f:spec": {
        "f:template": {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } },
        },
      },
    });
    const spec = (f as Record<string, Record<string, unknown>>)["f:spec"];
    expect(spec["."]).toBeUndefined();
    expect((spec["f:template"] as Record<string, unknown>)["."]).toBeUndefined();
  });

  it("keeps '.' with the manager that added the map when another changes a key", async () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } };
    await h.request("POST", "/api/v1/namespaces/default/configmaps?fieldManager=first", { body: cm });
    const patched = await h.request("PATCH", "/api/v1/namespaces/default/configmaps/c?fieldManager=second", { body: { data: { a: "2", b: "3" } }, contentType: "application/merge-patch+json" });
    expect(fieldsOf(patched.json, "first")).toEqual({ "f:data": { ".": {} } });
    expect(fieldsOf(patched.json, "second")).toEqual({ "f:data": { "f:a": {}, "f:b": {} } });
  });

  it("records no '.' on maps for Apply", async () => {
    const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { x: "1" } });
    const applied = await h.request("PATCH", "/api/v1/namespaces/default/configmaps/a?fieldManager=applier", { body, contentType: "application/apply-patch+yaml" });
    expect(fieldsOf(applied.json, "applier")).toEqual({ "f:data": { "f:x": {} } });
  });
});
