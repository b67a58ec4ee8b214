// The scale subresource: built-in workloads and custom resources at their CRD's paths.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deployment, startHarness, type Harness } from "./fixture.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const WIDGETS = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { plural: "widgets", singular: "widget", kind: "Widget" },
    versions: [{
      name: "v1", served: true, storage: true,
      subresources: { status: {}, scale: { specReplicasPath: ".spec.size", statusReplicasPath: ".status.size", labelSelectorPath: ".status.selector" } },
      schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
    }],
  },
};

describe("scale subresource", () => {
  it("reads and writes a custom resource at its CRD's replica paths", async () => {
    expect((await h.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: WIDGETS })).status).toBe(201);
    const base = "/apis/example.com/v1/namespaces/default/widgets";
    await h.request("POST", base, { body: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: 1 } } });
    await h.request("PATCH", `${base}/w/status`, { body: { status: { size: 1, selector: "app=w" } }, contentType: "application/merge-patch+json" });
    const scale = await h.request("GET", `${base}/w/scale`);
    expect(scale.json).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 1 }, status: { replicas: 1, selector: "app=w" } });
    const patched = await h.request("PATCH", `${base}/w/scale`, { body: { spec: { replicas: 5 } }, contentType: "application/merge-patch+json" });
    expect(patched.status).toBe(200);
    expect((await h.request("GET", `${base}/w`)).json.spec).toEqual({ size: 5 });
  });

  it("reports a built-in's selector in string form and rejects negative replicas with 422", async () => {
    await h.request("POST", "/apis/apps/v1/namespaces/default/deployments", { body: deployment("web") });
    const scale = await h.request("GET", "/apis/apps/v1/namespaces/default/deployments/web/scale");
    expect(scale.json).toMatchObject({ spec: { replicas: 2 }, status: { selector: "app=web" } });
    const bad = await h.request("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale", { body: { spec: { replicas: -1 } }, contentType: "application/merge-patch+json" });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ reason: "Invalid", message: 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' });
  });
});
