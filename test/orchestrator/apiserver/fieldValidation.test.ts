import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pod, startHarness, type Harness } from "./fixture.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "crontabs.stable.example.com" },
  spec: {
    group: "stable.example.com",
    scope: "Namespaced",
    names: { plural: "crontabs", singular: "crontab", kind: "CronTab" },
    versions: [{
      name: "v1", served: true, storage: true,
      schema: { openAPIV3Schema: { type: "object", properties: {
        spec: { type: "object", properties: { cronSpec: { type: "string" }, free: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } },
      } } },
    }],
  },
};

function withBogus(): Record<string, unknown> {
  const p = pod("p");
  const spec = p.spec as { containers: Array<Record<string, unknown>> };
  spec.containers[0].bogus = 1;
  return { ...p, extra: true };
}

describe("fieldValidation", () => {
  it("Strict rejects unknown fields of a built-in kind with kube-apiserver's 400", async () => {
    const r = await h.request("POST", "/api/v1/namespaces/default/pods?fieldValidation=Strict", { body: withBogus() });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ kind: "Status", reason: "BadRequest", code: 400 });
    expect(r.json.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].bogus", unknown field "extra"');
    expect((await h.request("GET", "/api/v1/namespaces/default/pods/p")).status).toBe(404);
  });

  it("Warn (the default) drops unknown fields and names them in Warning headers", async () => {
    const r = await h.request("POST", "/api/v1/namespaces/default/pods", { body: withBogus() });
    expect(r.status).toBe(201);
    expect(r.headers.warning).toEqual(['299 - "unknown field \\"spec.containers[0].bogus\\""', '299 - "unknown field \\"extra\\""']);
    expect(r.json.extra).toBeUndefined();
  });

  it("Ignore drops unknown fields silently", async () => {
    const r = await h.request("POST", "/api/v1/namespaces/default/pods?fieldValidation=Ignore", { body: withBogus() });
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBeUndefined();
    expect(JSON.stringify(r.json)).not.toContain("bogus");
  });

  it("Strict applies to patches too", async () => {
    await h.request("POST", "/api/v1/namespaces/default/pods", { body: pod("p") });
    const r = await h.request("PATCH", "/api/v1/namespaces/default/pods/p?fieldValidation=Strict", { body: { spec: { bogus: 1 } }, contentType: "application/merge-patch+json" });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('strict decoding error: unknown field "spec.bogus"');
  });

  it("checks CRD objects against their schema, keeping preserve-unknown-fields subtrees", async () => {
    expect((await h.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: CRD })).status).toBe(201);
    const obj = { apiVersion: "stable.example.com/v1", kind: "CronTab", metadata: { name: "c", labels: { a: "b" } }, spec: { cronSpec: "x", bogus: 1, free: { any: { thing: 1 } } } };
    const strict = await h.request("POST", "/apis/stable.example.com/v1/namespaces/default/crontabs?fieldValidation=Strict", { body: obj });
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe('CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.bogus"');
    const pruned = await h.request("POST", "/apis/stable.example.com/v1/namespaces/default/crontabs", { body: obj });
    expect(pruned.status).toBe(201);
    expect(pruned.json.spec).toEqual({ cronSpec: "x", free: { any: { thing: 1 } } });
  });

  it("rejects a value of the wrong Go type with the decoder's 400, even with Ignore", async () => {
    const p = pod("typed");
    const spec = p.spec as { containers: Array<Record<string, unknown>> };
    spec.containers[0].ports = [{ containerPort: "80" }];
    const r = await h.request("POST", "/api/v1/namespaces/default/pods?fieldValidation=Ignore", { body: p });
    expect(r.status).toBe(400);
    expect(r.json.message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { on: true } };
    const bad = await h.request("POST", "/api/v1/namespaces/default/configmaps", { body: cm });
    expect(bad.json.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string');
    const fraction = await h.request("POST", "/apis/apps/v1/namespaces/default/deployments", { body: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: 1.5 } } });
    expect(fraction.json.message).toContain("cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32");
  });

  it("accepts numbers where Go has a resource.Quantity, and refuses them in plain string maps", async () => {
    const p = pod("quantities");
    const spec = p.spec as { containers: Array<Record<string, unknown>> };
    spec.containers[0].resources = { requests: { cpu: 1, memory: "64Mi" }, limits: { cpu: 2 } };
    const ok = await h.request("POST", "/api/v1/namespaces/default/pods", { body: p });
    expect(ok.status).toBe(201);
    const stored = (ok.json.spec as { containers: { resources: unknown }[] }).containers[0].resources;
    expect(stored).toEqual({ requests: { cpu: "1", memory: "64Mi" }, limits: { cpu: "2" } });
    const labels = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "l", labels: { tier: 1 } } };
    const bad = await h.request("POST", "/api/v1/namespaces/default/configmaps", { body: labels });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain("cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string");
  });
});
