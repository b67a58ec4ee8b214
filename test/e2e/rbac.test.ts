// RBAC end to end with the real kubectl over TLS: a token-file `view` user lists but may not
// create (Kubernetes' 403), `auth can-i` (plain, --list, --as), escalation attempts refused
// with Kubernetes' message, and the aggregated `view` role gaining a labelled ClusterRole's rules.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import type { CliResult } from "../helpers/cli.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { clusterUsers, type ClusterUsers } from "../helpers/clusterUsers.js";

const VIEWER_TOKEN = "viewer-5f0c1e2d3a4b6c7d";

let c: TestCluster;
let viewerKubeconfig: string;
let users: ClusterUsers;

function asViewer(args: string[]): Promise<CliResult> {
  return users.kubectlWith(viewerKubeconfig, args);
}

beforeAll(async () => {
  c = await startTestCluster({ tokens: `${VIEWER_TOKEN},viewer,viewer-uid\n` });
  users = await clusterUsers(c);
  viewerKubeconfig = await users.kubeconfigFor("viewer", { token: VIEWER_TOKEN });
  await c.kubectlOk(["create", "rolebinding", "viewer-view", "--clusterrole=view", "--user=viewer", "-n", "default"]);
  await c.kubectlOk(["create", "rolebinding", "eve-admin", "--clusterrole=admin", "--user=eve", "-n", "default"]);
});
afterAll(async () => {
  await c.stop();
});

describe("rbac", () => {
  it("a view user can list but not create", async () => {
    const list = await asViewer(["get", "pods"]);
    expect(list.code).toBe(0);
    const create = await asViewer(["create", "configmap", "x", "--from-literal=a=b"]);
    expect(create.code).not.toBe(0);
    expect(create.stderr.trim()).toBe('error: failed to create configmap: configmaps is forbidden: User "viewer" cannot create resource "configmaps" in API group "" in the namespace "default"');
  });

  it("answers kubectl auth can-i, with --list and --as", async () => {
    expect(await c.kubectlOk(["auth", "can-i", "create", "pods"])).toBe("yes\n");
    const no = await asViewer(["auth", "can-i", "create", "pods"]);
    expect({ code: no.code, out: no.stdout }).toEqual({ code: 1, out: "no\n" });
    expect((await asViewer(["auth", "can-i", "list", "pods"])).stdout).toBe("yes\n");
    expect((await asViewer(["auth", "can-i", "get", "pods", "--subresource=log"])).stdout).toBe("yes\n");
    expect((await asViewer(["auth", "can-i", "list", "pods", "-n", "kube-system"])).stdout).toBe("no\n");
    expect(await c.kubectlOk(["auth", "can-i", "list", "deployments.apps", "--as", "viewer"])).toBe("yes\n");
    expect((await c.kubectl(["auth", "can-i", "delete", "deployments.apps", "--as", "viewer"])).stdout).toBe("no\n");
    const listing = await asViewer(["auth", "can-i", "--list"]);
    expect(listing.code).toBe(0);
    expect(listing.stdout).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
    expect(listing.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(listing.stdout).toMatch(/^deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(listing.stdout).toMatch(/^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    expect(listing.stdout).toMatch(/^\s+\[\/healthz\]\s+\[\]\s+\[get\]$/m);
    const asEve = await c.kubectlOk(["auth", "can-i", "--list", "--as", "eve"]);
    expect(asEve).toMatch(/^rolebindings\.rbac\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create delete deletecollection patch update get list watch\]$/m);
  });

  it("refuses escalation attempts with Kubernetes' message", async () => {
    const ok = await c.kubectl(["create", "role", "pod-reader", "--verb=get", "--resource=pods", "--as", "eve"]);
    expect(ok.code).toBe(0);
    const role = await c.kubectl(["create", "role", "node-reader", "--verb=get", "--resource=nodes,pods", "--as", "eve"]);
    expect(role.code).not.toBe(0);
    expect(role.stderr.trim()).toBe(
      'Error from server (Forbidden): roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "eve" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}',
    );
    const binding = await c.kubectl(["create", "rolebinding", "eve-root", "--clusterrole=cluster-admin", "--user=eve", "--as", "eve"]);
    expect(binding.code).not.toBe(0);
    expect(binding.stderr).toContain('rolebindings.rbac.authorization.k8s.io "eve-root" is forbidden: user "eve" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}');
    const cluster = await c.kubectl(["create", "clusterrole", "eve-cr", "--verb=get", "--resource=pods", "--as", "eve"]);
    expect(cluster.stderr).toContain('cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope');
  });

  it("aggregates a new ClusterRole labelled aggregate-to-view into view", async () => {
    // view leaves secrets out; a ClusterRole carrying the label adds them for every viewer.
    expect((await asViewer(["auth", "can-i", "list", "secrets"])).stdout).toBe("no\n");
    expect((await asViewer(["get", "secrets"])).stderr).toContain('User "viewer" cannot list resource "secrets"');
    const manifest = stringify({
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole",
      metadata: { name: "secret-viewer", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
      rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] }],
    });
    await c.kubectlOk(["apply", "-f", "-"], { input: manifest });
    await vi.waitFor(async () => expect((await asViewer(["auth", "can-i", "list", "secrets"])).stdout).toBe("yes\n"), { timeout: 10_000, interval: 200 });
    expect((await asViewer(["get", "secrets"])).code).toBe(0);
    const view = await c.kubectlOk(["get", "clusterrole", "view", "-o", "jsonpath={.rules[*].resources}"]);
    expect(view).toContain("secrets");
  });
});
