// authentication.k8s.io reviews in-process (fastify.inject) on a real API server and store:
// SelfSubjectReview answers with the caller (or the impersonated user), in v1 and v1beta1, from
// JSON and from kubectl's own protobuf body; TokenReview checks a bearer token; both are in
// discovery; bad bodies get a 400 naming what is wrong.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { PROTOBUF } from "../../../orchestrator/apiserver/protobuf.js";
import { createApiServer, type ApiServer } from "../../../orchestrator/apiserver/server.js";
import { parseTokenFile } from "../../../orchestrator/auth/authn/tokenFile.js";
import { createAuthPlugin } from "../../../orchestrator/auth/plugin.js";
import type { Authorizer, AuthzAttributes } from "../../../orchestrator/auth/types.js";
import { openEmbeddedStore } from "../../../orchestrator/store/embedded/index.js";
import type { Store } from "../../../orchestrator/store/types.js";

const TOKENS = 'admin-token,admin,1,"admins"\nalice-token,alice,2,"dev,ops"\nbob-token,bob,3\n';
const T0 = Date.parse("2030-01-01T00:00:00Z");

/** admins may do anything; alice and group qa may create SelfSubjectReviews; bob nothing at all. */
const authorizer: Authorizer = {
  authorize(a: AuthzAttributes) {
    if (a.user.groups.includes("admins")) return Promise.resolve({ allowed: true, reason: "admins" });
    if ((a.user.username === "alice" || a.user.groups.includes("qa")) && a.resource === "selfsubjectreviews" && a.verb === "create") return Promise.resolve({ allowed: true, reason: "basic user" });
    return Promise.resolve({ allowed: false, reason: "no rule" });
  },
};

/** What `kubectl auth whoami` (1.32) sent, as captured with -v=9. */
const KUBECTL_BODY = Buffer.from(
  [
    "6b3873000a2d0a1861757468656e7469",
    "636174696f6e2e6b38732e696f2f7631",
    "121153656c665375626a656374526576",
    "696577121a0a100a0012001a0022002a",
    "0032003800420012060a040a0012001a",
    "002200",
  ].join(""),
  "hex",
);

let store: Store;
let server: ApiServer;
const clock = new FakeClock(T0);

beforeAll(async () => {
  store = await openEmbeddedStore({});
  const serviceAccountKeyPem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const security = createAuthPlugin({ clock, serviceAccountKeyPem, tokenFile: parseTokenFile(TOKENS, "tokens.csv"), authorizer: () => authorizer });
  server = await createApiServer({ store, clock, security });
});
afterAll(async () => {
  await server.close();
  await store.close();
});

interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
}

async function call(method: "GET" | "POST", url: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.raw !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const res = await server.app.inject({ method, url, headers, payload });
  return { status: res.statusCode, json: JSON.parse(res.body) as Record<string, unknown> };
}

const SSR = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
const review = { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" };

describe("SelfSubjectReview", () => {
  it("answers with the caller's user info, created at the server's time", async () => {
    const res = await call("POST", SSR, { token: "alice-token", body: review });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      ...review,
      metadata: { creationTimestamp: "2030-01-01T00:00:00Z" },
      status: { userInfo: { username: "alice", uid: "2", groups: ["dev", "ops", "system:authenticated"] } },
    });
  });

  it("answers with the impersonated user, extra included", async () => {
    const headers = { "impersonate-user": "carol", "impersonate-group": "qa", "impersonate-extra-scopes": "view" };
    const res = await call("POST", SSR, { token: "admin-token", headers, body: review });
    expect(res.status).toBe(201);
    expect(res.json.status).toEqual({ userInfo: { username: "carol", groups: ["qa", "system:authenticated"], extra: { scopes: ["view"] } } });
  });

  it("serves v1beta1 too, and reads kubectl's protobuf body", async () => {
    const beta = await call("POST", "/apis/authentication.k8s.io/v1beta1/selfsubjectreviews", { token: "alice-token", body: { apiVersion: "authentication.k8s.io/v1beta1", kind: "SelfSubjectReview" } });
    expect(beta.status).toBe(201);
    expect(beta.json).toMatchObject({ apiVersion: "authentication.k8s.io/v1beta1", kind: "SelfSubjectReview", status: { userInfo: { username: "alice" } } });
    const proto = await call("POST", SSR, { token: "alice-token", raw: KUBECTL_BODY, contentType: PROTOBUF });
    expect(proto.status).toBe(201);
    expect(proto.json).toMatchObject({ ...review, status: { userInfo: { username: "alice" } } });
  });

  it("is forbidden to a user without the right", async () => {
    const res = await call("POST", SSR, { token: "bob-token", body: review });
    expect(res.status).toBe(403);
    expect(res.json.message).toBe('selfsubjectreviews.authentication.k8s.io is forbidden: User "bob" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope');
  });

  it.each([
    { name: "a body that is not JSON", raw: "{nope", message: /^couldn't get version\/kind; json parse error/ },
    { name: "an empty body", raw: "", message: /^the body of the request was empty$/ },
    { name: "a list, not an object", raw: "[1]", message: /^Object 'Kind' is missing/ },
    { name: "another kind", body: { apiVersion: "authentication.k8s.io/v1", kind: "Pod" }, message: /^the kind in the data \(Pod\) does not match the expected kind \(SelfSubjectReview\)$/ },
    { name: "another version", body: { apiVersion: "authentication.k8s.io/v1beta1", kind: "SelfSubjectReview" }, message: /^the API version in the data \(authentication.k8s.io\/v1beta1\) does not match the expected API version \(authentication.k8s.io\/v1\)$/ },
    { name: "status that is not an object", body: { ...review, status: "me" }, message: /^SelfSubjectReview.status: expected an object, got "me"$/ },
  ])("400 for $name", async ({ raw, body, message }) => {
    const res = await call("POST", SSR, { token: "alice-token", raw, body });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ kind: "Status", reason: "BadRequest", code: 400 });
    expect(String(res.json.message)).toMatch(message);
  });
});

describe("TokenReview", () => {
  const TR = "/apis/authentication.k8s.io/v1/tokenreviews";
  const tokenReview = (token: string) => ({ apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } });

  it("authenticates a token-file token and a ServiceAccount token, and not a bad one", async () => {
    const alice = await call("POST", TR, { token: "admin-token", body: tokenReview("alice-token") });
    expect(alice.status).toBe(201);
    expect(alice.json.status).toEqual({ authenticated: true, user: { username: "alice", uid: "2", groups: ["dev", "ops", "system:authenticated"] } });

    const sa = await call("POST", "/api/v1/namespaces/default/serviceaccounts", { token: "admin-token", body: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot" } } });
    expect(sa.status).toBe(201);
    const issued = await call("POST", "/api/v1/namespaces/default/serviceaccounts/robot/token", { token: "admin-token", body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: {} } });
    const saToken = String((issued.json.status as Record<string, unknown>).token);
    const robot = await call("POST", TR, { token: "admin-token", body: tokenReview(saToken) });
    expect(robot.json.status).toMatchObject({ authenticated: true, user: { username: "system:serviceaccount:default:robot", groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"] } });

    const bad = await call("POST", TR, { token: "admin-token", body: tokenReview("not-a-token") });
    expect(bad.status).toBe(201);
    expect(bad.json.status).toMatchObject({ user: {}, error: expect.any(String) as unknown });
    expect((bad.json.status as Record<string, unknown>).authenticated).toBeUndefined();
  });

  it("422 for an empty token", async () => {
    const res = await call("POST", TR, { token: "admin-token", body: tokenReview("") });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ reason: "Invalid", details: { causes: [{ field: "spec.token" }] } });
  });
});

describe("discovery", () => {
  it("lists the authentication group with v1 preferred, in both discovery forms", async () => {
    const groups = await call("GET", "/apis", { token: "admin-token" });
    const group = (groups.json.groups as { name: string; versions: { version: string }[]; preferredVersion: { version: string } }[]).find((g) => g.name === "authentication.k8s.io");
    expect(group?.versions.map((v) => v.version)).toEqual(["v1", "v1beta1"]);
    expect(group?.preferredVersion.version).toBe("v1");
    const v1 = await call("GET", "/apis/authentication.k8s.io/v1", { token: "admin-token" });
    const names = (v1.json.resources as { name: string; verbs: string[] }[]).map((r) => `${r.name}:${r.verbs.join(",")}`).sort();
    expect(names).toEqual(["selfsubjectreviews:create", "tokenreviews:create"]);
    const aggregated = await call("GET", "/apis", { token: "admin-token", headers: { accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList" } });
    const items = aggregated.json.items as { metadata: { name: string }; versions: { version: string }[] }[];
    expect(items.find((i) => i.metadata.name === "authentication.k8s.io")?.versions.map((v) => v.version)).toEqual(["v1", "v1beta1"]);
  });
});
