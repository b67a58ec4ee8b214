// RBAC inside a real API server (in-process, app.inject) behind the real auth pipeline with
// token-file users: default policy, immediate effect of new bindings, 403s, the escalation
// admission step, aggregation and the authorization.k8s.io access reviews.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FakeClock } from "../../../../core/clock.js";
import { createServer } from "./serverFixture.js";

const clock = new FakeClock(Date.parse("2025-01-01T00:00:00Z"));
let s: Awaited<ReturnType<typeof createServer>>;

beforeAll(async () => {
  const keyPem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  s = await createServer({ clock, keyPem, users: { admin: ["system:masters"], viewer: [], eve: [], nobody: [] } });
  const created = await s.as("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", {
    kind: "RoleBinding", apiVersion: "rbac.authorization.k8s.io/v1", metadata: { name: "viewer-view" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "User", name: "viewer" }],
  });
  expect(created.status).toBe(201);
});

afterAll(async () => s.close());

const sar = (verb: string, resource: string, extra: Record<string, string> = {}) => ({
  kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", spec: { resourceAttributes: { namespace: "default", verb, resource, ...extra } },
});

describe("RBAC in the API server", () => {
  it("reconciles the default roles and aggregates view", async () => {
    const res = await s.as("admin", "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
    expect(res.status).toBe(200);
    expect(res.json.aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } }] });
    await vi.waitFor(async () => {
      const view = await s.as("admin", "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
      expect(Array.isArray(view.json.rules) && view.json.rules.length).toBeGreaterThan(0);
    });
  });

  it("a view user lists but may not create, with Kubernetes' message", async () => {
    await vi.waitFor(async () => expect((await s.as("viewer", "GET", "/api/v1/namespaces/default/pods")).status).toBe(200));
    const res = await s.as("viewer", "POST", "/api/v1/namespaces/default/configmaps", { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "x" } });
    expect(res.status).toBe(403);
    expect(res.json.message).toBe('configmaps is forbidden: User "viewer" cannot create resource "configmaps" in API group "" in the namespace "default"');
  });

  it("a new binding holds for the very next request", async () => {
    expect((await s.as("nobody", "GET", "/api/v1/namespaces/kube-public/configmaps")).status).toBe(403);
    const created = await s.as("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/kube-public/rolebindings", {
      kind: "RoleBinding", apiVersion: "rbac.authorization.k8s.io/v1", metadata: { name: "nobody-edit" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:aggregate-to-edit" }, subjects: [{ kind: "User", name: "nobody" }],
    });
    expect(created.status).toBe(201);
    expect((await s.as("nobody", "GET", "/api/v1/namespaces/kube-public/configmaps")).status).toBe(200);
    expect((await s.as("admin", "DELETE", "/apis/rbac.authorization.k8s.io/v1/namespaces/kube-public/rolebindings/nobody-edit")).status).toBe(200);
    expect((await s.as("nobody", "GET", "/api/v1/namespaces/kube-public/configmaps")).status).toBe(403);
  });

  it("answers SelfSubjectAccessReview", async () => {
    const list = await s.as("viewer", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", sar("list", "pods"));
    expect(list.status).toBe(201);
    expect(list.json.status).toMatchObject({ allowed: true });
    const create = await s.as("viewer", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", sar("create", "pods"));
    expect(create.json.status).toMatchObject({ allowed: false });
  });

  it("answers SubjectAccessReview and LocalSubjectAccessReview for others", async () => {
    const body = { kind: "SubjectAccessReview", apiVersion: "authorization.k8s.io/v1", spec: { user: "viewer", resourceAttributes: { namespace: "default", verb: "get", resource: "pods" } } };
    expect((await s.as("admin", "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", body)).json.status).toMatchObject({ allowed: true });
    expect((await s.as("viewer", "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", body)).status).toBe(403);
    const local = { ...body, kind: "LocalSubjectAccessReview" };
    const ok = await s.as("admin", "POST", "/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews", local);
    expect(ok.json.status).toMatchObject({ allowed: true });
    const mismatch = await s.as("admin", "POST", "/apis/authorization.k8s.io/v1/namespaces/other/localsubjectaccessreviews", local);
    expect(mismatch.status).toBe(400);
    const noUser = await s.as("admin", "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", { kind: "SubjectAccessReview", spec: { resourceAttributes: { verb: "get" } } });
    expect(noUser.status).toBe(422);
  });

  it("answers SelfSubjectRulesReview", async () => {
    const res = await s.as("viewer", "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", { kind: "SelfSubjectRulesReview", spec: { namespace: "default" } });
    expect(res.status).toBe(201);
    const status = res.json.status;
    expect(status).toMatchObject({ incomplete: false });
    const text = JSON.stringify(status);
    expect(text).toContain('"selfsubjectaccessreviews"');
    expect(text).toContain('"/healthz"');
    expect(text).toContain('"pods/log"');
  });

  it("lists the reviews in discovery", async () => {
    const res = await s.as("viewer", "GET", "/apis/authorization.k8s.io/v1");
    expect(res.status).toBe(200);
    const names = Array.isArray(res.json.resources) ? res.json.resources.map((r) => (typeof r === "object" && r !== null && "name" in r ? r.name : "")) : [];
    expect(names).toEqual(expect.arrayContaining(["selfsubjectaccessreviews", "subjectaccessreviews", "selfsubjectrulesreviews", "localsubjectaccessreviews"]));
  });

  it("refuses RBAC writes that escalate", async () => {
    const grant = await s.as("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", {
      kind: "RoleBinding", apiVersion: "rbac.authorization.k8s.io/v1", metadata: { name: "eve-admin" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" }, subjects: [{ kind: "User", name: "eve" }],
    });
    expect(grant.status).toBe(201);
    await vi.waitFor(async () => expect((await s.as("eve", "GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles")).status).toBe(200));
    const role = (rules: unknown[]) => ({ kind: "Role", apiVersion: "rbac.authorization.k8s.io/v1", metadata: { name: `r${rules.length}` }, rules });
    const within = await s.as("eve", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", role([{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }]));
    expect(within.status).toBe(201);
    const beyond = await s.as("eve", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", role([{ verbs: ["get"], apiGroups: [""], resources: ["nodes"] }, { verbs: ["get"], apiGroups: [""], resources: ["pods"] }]));
    expect(beyond.status).toBe(403);
    expect(beyond.json.message).toBe(
      'roles.rbac.authorization.k8s.io "r2" is forbidden: user "eve" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}',
    );
    const bindAdmin = await s.as("eve", "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", {
      kind: "RoleBinding", apiVersion: "rbac.authorization.k8s.io/v1", metadata: { name: "eve-ca" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "User", name: "eve" }],
    });
    expect(bindAdmin.status).toBe(403);
    expect(bindAdmin.json.message).toContain("is attempting to grant RBAC permissions not currently held");
  });

  it("view gains the rules of a new ClusterRole labelled aggregate-to-view", async () => {
    const widgets = { verbs: ["get", "list"], apiGroups: ["example.com"], resources: ["widgets"] };
    const created = await s.as("admin", "POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", {
      kind: "ClusterRole", apiVersion: "rbac.authorization.k8s.io/v1", metadata: { name: "widget-viewer", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } }, rules: [widgets],
    });
    expect(created.status).toBe(201);
    await vi.waitFor(async () => {
      const res = await s.as("viewer", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", sar("list", "widgets", { group: "example.com" }));
      expect(res.json.status).toMatchObject({ allowed: true });
    });
    for (const role of ["view", "edit", "admin"]) {
      await vi.waitFor(async () => expect((await s.as("admin", "GET", `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role}`)).json.rules).toContainEqual(widgets));
    }
  });
});
