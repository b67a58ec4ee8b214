import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerOpenApiRoutes } from "../../../orchestrator/apiserver/openapi/index.js";
import { ResourceRegistry } from "../../../orchestrator/apiserver/registry.js";
import type { ResourceInfo } from "../../../orchestrator/apiserver/types.js";

const CRONTAB: ResourceInfo = {
  group: "stable.example.com",
  version: "v1",
  kind: "CronTab",
  listKind: "CronTabList",
  resource: "crontabs",
  singular: "crontab",
  namespaced: true,
  verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
  custom: true,
};
const CRONTAB_SCHEMA = { type: "object", properties: { spec: { type: "object", properties: { cronSpec: { type: "string" }, replicas: { type: "integer" } } } } };

type Json = Record<string, unknown>;

let app: FastifyInstance;
let registry: ResourceRegistry;

beforeEach(async () => {
  registry = new ResourceRegistry();
  app = Fastify();
  registerOpenApiRoutes(app, registry, { crdSchema: (r) => (r.kind === "CronTab" ? CRONTAB_SCHEMA : undefined) });
  await app.ready();
});
afterEach(async () => {
  await app.close();
});

async function getJson(url: string): Promise<Json> {
  const res = await app.inject({ url, headers: { accept: "application/json" } });
  expect(res.statusCode).toBe(200);
  return res.json<Json>();
}

async function v3Doc(gv: string): Promise<{ schemas: Record<string, Json>; paths: Record<string, Json> }> {
  const index = await getJson("/openapi/v3");
  const entry = (index.paths as Record<string, { serverRelativeURL: string }>)[gv];
  expect(entry, `index lists ${gv}`).toBeDefined();
  const doc = await getJson(entry.serverRelativeURL);
  return { schemas: (doc.components as { schemas: Record<string, Json> }).schemas, paths: doc.paths as Record<string, Json> };
}

function property(schema: Json | undefined, name: string): Json {
  return (schema?.properties as Record<string, Json>)[name];
}

describe("/openapi/v3", () => {
  it("indexes every served group-version with a content hash", async () => {
    const index = await getJson("/openapi/v3");
    const paths = index.paths as Record<string, { serverRelativeURL: string }>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(["api/v1", "apis/apps/v1", "apis/batch/v1", "apis/rbac.authorization.k8s.io/v1"]));
    expect(paths["apis/apps/v1"].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  });

  it("tags kinds with their group-version-kind", async () => {
    const { schemas } = await v3Doc("apis/apps/v1");
    expect(schemas["io.k8s.api.apps.v1.Deployment"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "apps", version: "v1", kind: "Deployment" }]);
    expect(schemas["io.k8s.api.apps.v1.DeploymentList"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "apps", version: "v1", kind: "DeploymentList" }]);
    expect(schemas["io.k8s.api.core.v1.PodTemplateSpec"]).toBeDefined();
    expect(property(schemas["io.k8s.api.apps.v1.DeploymentSpec"], "template")).toEqual({
      allOf: [{ $ref: "#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec" }],
    });
    expect(property(schemas["io.k8s.api.apps.v1.DeploymentSpec"], "paused")).toEqual({
      type: "boolean",
      description: "Indicates that the deployment is paused.",
    });
    expect(schemas["io.k8s.api.apps.v1.DeploymentSpec"].required).toEqual(["selector", "template"]);
  });

  it.each([
    ["io.k8s.api.core.v1.PodSpec", "containers", "merge", "name"],
    ["io.k8s.api.core.v1.PodSpec", "volumes", "merge,retainKeys", "name"],
    ["io.k8s.api.core.v1.Container", "env", "merge", "name"],
    ["io.k8s.api.core.v1.Container", "ports", "merge", "containerPort"],
    ["io.k8s.api.core.v1.Container", "volumeMounts", "merge", "mountPath"],
    ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences", "merge", "uid"],
    ["io.k8s.api.apps.v1.DeploymentStatus", "conditions", "merge", "type"],
  ])("%s.%s merges by key (%s, %s)", async (def, field, strategy, key) => {
    const { schemas } = await v3Doc("apis/apps/v1");
    const p = property(schemas[def], field);
    expect(p["x-kubernetes-patch-strategy"]).toBe(strategy);
    expect(p["x-kubernetes-patch-merge-key"]).toBe(key);
  });

  it("declares fieldValidation on PATCH so kubectl lets the server validate", async () => {
    const { paths } = await v3Doc("apis/apps/v1");
    const item = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"];
    const patch = item.patch as Json;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
    expect((patch.parameters as Json[]).map((p) => p.name)).toContain("fieldValidation");
    expect(Object.keys((patch.requestBody as { content: Json }).content)).toContain("application/strategic-merge-patch+json");
    expect(paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"].put).toBeDefined();
  });

  it("serves ETags and 304 for unchanged documents, and redirects stale hashes", async () => {
    const first = await app.inject({ url: "/openapi/v3/apis/batch/v1" });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[0-9A-F]+"$/);
    const again = await app.inject({ url: "/openapi/v3/apis/batch/v1", headers: { "if-none-match": etag } });
    expect(again.statusCode).toBe(304);
    const stale = await app.inject({ url: "/openapi/v3/apis/batch/v1?hash=ABC" });
    expect(stale.statusCode).toBe(301);
    expect(stale.headers.location).toBe(`/openapi/v3/apis/batch/v1?hash=${etag.slice(1, -1)}`);
  });

  it("answers an unknown group-version with a NotFound Status", async () => {
    const res = await app.inject({ url: "/openapi/v3/apis/nope.example.com/v1" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ kind: "Status", code: 404, reason: "NotFound" });
  });

  it("adds a CRD's schema when the registry gains it, with a new hash", async () => {
    const before = (await getJson("/openapi/v3")).paths as Json;
    expect(before["apis/stable.example.com/v1"]).toBeUndefined();
    registry.add([CRONTAB]);
    const { schemas, paths } = await v3Doc("apis/stable.example.com/v1");
    const crontab = schemas["com.example.stable.v1.CronTab"];
    expect(crontab["x-kubernetes-group-version-kind"]).toEqual([{ group: "stable.example.com", version: "v1", kind: "CronTab" }]);
    expect(property(property(crontab, "spec"), "cronSpec")).toEqual({ type: "string" });
    expect(property(crontab, "metadata")).toEqual({ allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }] });
    expect(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]).toBeDefined();
    const patch = paths["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"].patch as Json;
    expect(Object.keys((patch.requestBody as { content: Json }).content)).not.toContain("application/strategic-merge-patch+json");
    registry.remove("stable.example.com", "crontabs");
    expect(((await getJson("/openapi/v3")).paths as Json)["apis/stable.example.com/v1"]).toBeUndefined();
  });
});

describe("/openapi/v2", () => {
  it("serves Swagger 2.0 JSON with plain $refs", async () => {
    const doc = await getJson("/openapi/v2");
    expect(doc.swagger).toBe("2.0");
    const defs = doc.definitions as Record<string, Json>;
    expect(property(defs["io.k8s.api.core.v1.Pod"], "spec")).toEqual({ $ref: "#/definitions/io.k8s.api.core.v1.PodSpec" });
    expect(defs["io.k8s.api.core.v1.Pod"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "", version: "v1", kind: "Pod" }]);
  });

  it.each([
    ["application/com.github.proto-openapi.spec.v2@v1.0+protobuf", 200, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"],
    ["application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json", 200, "application/json"],
    ["*/*", 200, "application/json"],
    ["application/vnd.kubernetes.protobuf", 406, "application/json"],
  ])("Accept %s → %i %s", async (accept, code, type) => {
    const res = await app.inject({ url: "/openapi/v2", headers: { accept } });
    expect(res.statusCode).toBe(code);
    expect(String(res.headers["content-type"])).toContain(type);
    if (code === 406) expect(res.json()).toMatchObject({ kind: "Status", reason: "NotAcceptable", code: 406 });
    // The protobuf answer is an empty gnostic Document: zero bytes.
    if (type.includes("protobuf")) expect(res.rawPayload.length).toBe(0);
  });
});
