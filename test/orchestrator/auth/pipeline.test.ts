// The auth pipeline in-process (fastify.inject) on a real API server and store: token-file
// users, a small rule-table authorizer, TokenRequest on a FakeClock, and the audit sink.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { createApiServer, type ApiServer } from "../../../orchestrator/apiserver/server.js";
import { MemoryAuditLog } from "../../../orchestrator/auth/audit.js";
import { parseTokenFile } from "../../../orchestrator/auth/authn/tokenFile.js";
import { createAuthPlugin } from "../../../orchestrator/auth/plugin.js";
import type { Authorizer, AuthzAttributes } from "../../../orchestrator/auth/types.js";
import { openEmbeddedStore } from "../../../orchestrator/store/embedded/index.js";
import type { Store } from "../../../orchestrator/store/types.js";

const TOKENS = 'admin-token,admin,1,"admins"\nalice-token,alice,2\n';

/** admins may do anything; alice may list pods and get /healthz; everyone else nothing. */
const tableAuthorizer: Authorizer = {
  authorize(a: AuthzAttributes) {
    if (a.user.groups.includes("admins")) return Promise.resolve({ allowed: true, reason: "admins" });
    if (a.user.username === "alice" && a.resourceRequest && a.resource === "pods" && a.verb === "list") return Promise.resolve({ allowed: true, reason: "alice lists pods" });
    if (!a.resourceRequest && ["/healthz", "/version"].includes(a.path ?? "") && a.verb === "get") return Promise.resolve({ allowed: true, reason: "public" });
    return Promise.resolve({ allowed: false, reason: "no rule" });
  },
};

let store: Store;
let server: ApiServer;
const clock = new FakeClock(Date.parse("2030-01-01T00:00:00Z"));
const audit = new MemoryAuditLog();

beforeAll(async () => {
  store = await openEmbeddedStore({});
  const serviceAccountKeyPem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const security = createAuthPlugin({ clock, serviceAccountKeyPem, tokenFile: parseTokenFile(TOKENS, "tokens.csv"), authorizer: () => tableAuthorizer, audit });
  server = await createApiServer({ store, clock, security });
});
afterAll(async () => {
  await server.close();
  await store.close();
});

async function call(method: "GET" | "POST" | "DELETE", url: string, options: { token?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await server.app.inject({ method, url, headers, payload: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const json: unknown = res.body.startsWith("{") ? JSON.parse(res.body) : undefined;
  return { status: res.statusCode, json, body: res.body };
}

describe("auth pipeline", () => {
  it.each([
    { name: "no credentials on a resource", method: "GET" as const, url: "/api/v1/pods", status: 401 },
    { name: "no credentials on discovery", method: "GET" as const, url: "/api", status: 401 },
    { name: "no credentials on /healthz", method: "GET" as const, url: "/healthz", status: 200 },
    { name: "no credentials on /version", method: "GET" as const, url: "/version", status: 200 },
    { name: "an unknown token, even on /healthz", method: "GET" as const, url: "/healthz", token: "nope", status: 401 },
    { name: "admin lists namespaces", method: "GET" as const, url: "/api/v1/namespaces", token: "admin-token", status: 200 },
    { name: "alice lists pods", method: "GET" as const, url: "/api/v1/namespaces/default/pods", token: "alice-token", status: 200 },
  ])("$name → $status", async ({ method, url, token, status }) => {
    const res = await call(method, url, { token });
    expect(res.status).toBe(status);
  });

  it.each([
    { url: "/api/v1/namespaces/default/pods/web", message: 'pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "default"', details: { name: "web", kind: "pods" } },
    { url: "/apis/apps/v1/deployments", message: 'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope', details: { group: "apps", kind: "deployments" } },
    { url: "/api/v1/namespaces/default/pods/web/log", message: 'pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "default"', details: { name: "web", kind: "pods" } },
    { url: "/metrics", message: 'forbidden: User "alice" cannot get path "/metrics"', details: undefined },
  ])("403 for $url worded as kube-apiserver", async ({ url, message, details }) => {
    const res = await call("GET", url, { token: "alice-token" });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Forbidden", ...(details ? { details } : {}), code: 403 });
  });

  it("impersonates for a user allowed to, and refuses one who is not", async () => {
    const asAlice = await call("GET", "/api/v1/namespaces/default/configmaps", { token: "admin-token", headers: { "impersonate-user": "alice" } });
    expect(asAlice.status).toBe(403);
    expect(asAlice.json).toMatchObject({ message: 'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"' });
    const refused = await call("GET", "/api/v1/namespaces/default/pods", { token: "alice-token", headers: { "impersonate-user": "admin" } });
    expect(refused.json).toMatchObject({ code: 403, message: 'users "admin" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope' });
    const groupOnly = await call("GET", "/api/v1/pods", { token: "admin-token", headers: { "impersonate-group": "admins" } });
    expect(groupOnly.status).toBe(400);
  });

  it("issues a ServiceAccount token that authenticates until it expires (FakeClock)", async () => {
    expect((await call("POST", "/api/v1/namespaces/default/serviceaccounts", { token: "admin-token", body: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot" } } })).status).toBe(201);
    const tooShort = await call("POST", "/api/v1/namespaces/default/serviceaccounts/robot/token", { token: "admin-token", body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 60 } } });
    expect(tooShort.status).toBe(422);
    const missing = await call("POST", "/api/v1/namespaces/default/serviceaccounts/ghost/token", { token: "admin-token", body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: {} } });
    expect(missing.status).toBe(404);
    const res = await call("POST", "/api/v1/namespaces/default/serviceaccounts/robot/token", { token: "admin-token", body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 600 } } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ kind: "TokenRequest", status: { expirationTimestamp: "2030-01-01T00:10:00Z" } });
    const token = /"token":"([^"]+)"/.exec(res.body)?.[1] ?? "";
    // Authenticated as the ServiceAccount: the table authorizer denies it, by name.
    expect((await call("GET", "/api/v1/namespaces/default/secrets", { token })).json).toMatchObject({ code: 403, message: expect.stringContaining('User "system:serviceaccount:default:robot"') });
    clock.advance(600_000);
    expect((await call("GET", "/api/v1/namespaces/default/secrets", { token })).status).toBe(401);
  });

  it("audits who, what and the decision, never a token", async () => {
    const text = JSON.stringify(audit.events);
    expect(text).not.toContain("alice-token");
    expect(text).not.toContain("admin-token");
    expect(text).not.toContain("eyJ");
    expect(audit.events).toContainEqual({ user: "alice", groups: ["system:authenticated"], verb: "get", objectRef: { apiGroup: "", apiVersion: "v1", resource: "pods", subresource: "log", namespace: "default", name: "web" }, code: 403, decision: "deny", reason: "no rule" });
    expect(audit.events).toContainEqual(expect.objectContaining({ user: "admin", impersonatedUser: "alice", decision: "deny", code: 403 }));
    expect(audit.events).toContainEqual(expect.objectContaining({ user: "", path: "/api/v1/pods", code: 401, decision: "deny" }));
  });
});
