// Security of the built-in cluster end to end, with the real kubectl over TLS: anonymous 401s,
// the admin certificate, a token-file user under RBAC, `kubectl create token`, impersonation
// and the audit log.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { clusterUsers, type ClusterUsers } from "../helpers/clusterUsers.js";

const ALICE_TOKEN = "alice-0123456789abcdef";

let c: TestCluster;
let users: ClusterUsers;

beforeAll(async () => {
  c = await startTestCluster({ tokens: `${ALICE_TOKEN},alice,alice-uid,"devs"\n` });
  users = await clusterUsers(c);
});
afterAll(async () => {
  await c.stop();
});

describe("security", () => {
  it("refuses requests without credentials with 401, except the public info paths", async () => {
    const res = await c.fetch("/api/v1/namespaces", { anonymous: true });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
    for (const p of ["/healthz", "/livez", "/readyz", "/version"]) expect((await c.fetch(p, { anonymous: true })).status).toBe(200);
    // kubectl answers a 401 for a user without credentials by asking for a username (and
    // failing on the empty stdin); with a credential the server refuses it says so plainly.
    const empty = await users.kubectlWith(await users.kubeconfigFor("nobody", {}), ["get", "pods"]);
    expect(empty.code).not.toBe(0);
    expect(empty.stdout + empty.stderr).toContain("Please enter Username");
    const bad = await users.kubectlWith(await users.kubeconfigFor("bad", { token: "no-such-token" }), ["get", "pods"]);
    expect(bad.stderr).toContain("the server has asked for the client to provide credentials");
  });

  it("lets the admin in over TLS with the kubeconfig's client certificate", async () => {
    expect(c.url.startsWith("https://")).toBe(true);
    const kubeconfig = await readFile(c.kubeconfig, "utf8");
    expect(kubeconfig).toContain("certificate-authority-data");
    expect(kubeconfig).not.toContain("insecure-skip-tls-verify");
    expect(await c.kubectlOk(["get", "namespace", "default", "-o", "name"])).toBe("namespace/default\n");
  });

  it("authenticates a token-file user, who gets RBAC's 403 until bound, then can list but not create", async () => {
    const alice = await users.kubeconfigFor("alice", { token: ALICE_TOKEN });
    const denied = await users.kubectlWith(alice, ["get", "pods"]);
    expect(denied.stderr).toContain('pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"');
    await c.kubectlOk(["create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice"]);
    expect((await users.kubectlWith(alice, ["get", "pods"])).code).toBe(0);
    const create = await users.kubectlWith(alice, ["create", "configmap", "nope"]);
    expect(create.stderr).toContain('configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default"');
    const wrong = await users.kubectlWith(await users.kubeconfigFor("wrong", { token: "not-a-token" }), ["get", "pods"]);
    expect(wrong.stderr).toContain("You must be logged in to the server");
  });

  it("issues a ServiceAccount token with kubectl create token that works until its account is gone", async () => {
    await c.kubectlOk(["create", "serviceaccount", "robot"]);
    const token = (await c.kubectlOk(["create", "token", "robot", "--duration", "20m"])).trim();
    expect(token.split(".")).toHaveLength(3);
    await c.kubectlOk(["create", "rolebinding", "robot-view", "--clusterrole=view", "--serviceaccount=default:robot"]);
    const robot = await users.kubeconfigFor("robot", { token });
    expect((await users.kubectlWith(robot, ["get", "configmaps"])).code).toBe(0);
    const create = await users.kubectlWith(robot, ["create", "configmap", "nope"]);
    expect(create.stderr).toContain('User "system:serviceaccount:default:robot" cannot create resource "configmaps"');
    await c.kubectlOk(["delete", "serviceaccount", "robot"]);
    const after = await users.kubectlWith(robot, ["get", "configmaps"]);
    expect(after.stderr).toContain("You must be logged in to the server");
    const short = await c.kubectl(["create", "token", "default", "--duration", "1m"]);
    expect(short.code).not.toBe(0);
  });

  it("lets the admin impersonate with --as, and refuses a plain user", async () => {
    const asAlice = await c.kubectl(["--as", "alice", "create", "configmap", "as-alice"]);
    expect(asAlice.stderr).toContain('User "alice" cannot create resource "configmaps"');
    expect((await c.kubectl(["--as", "alice", "get", "pods"])).code).toBe(0);
    const alice = await users.kubeconfigFor("alice", { token: ALICE_TOKEN });
    const refused = await users.kubectlWith(alice, ["--as", "bob", "get", "pods"]);
    expect(refused.stderr).toContain('users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it("writes audit lines with user, verb, object and decision, and never a token", async () => {
    await c.kubectlOk(["create", "secret", "generic", "s1", "--from-literal=password=hunter2-secret"]);
    await c.down();
    await c.up();
    const text = await readFile(path.join(c.dataDir, "audit.log"), "utf8");
    const lines = text.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.user === "alice" && l.decision === "deny" && l.code === 403)).toMatchObject({ groups: ["devs", "system:authenticated"], verb: "list", objectRef: { resource: "pods", namespace: "default" } });
    expect(lines.find((l) => l.user === "berth-admin" && l.verb === "create" && JSON.stringify(l.objectRef).includes('"secrets"'))).toMatchObject({ decision: "allow", code: 201 });
    expect(lines.some((l) => l.code === 401 && l.decision === "deny")).toBe(true);
    expect(text).not.toContain(ALICE_TOKEN);
    expect(text).not.toContain("hunter2-secret");
    expect(text).not.toContain("eyJ");
  });
});
