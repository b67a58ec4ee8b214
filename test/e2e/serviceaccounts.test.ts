// ServiceAccounts end to end with the real kubectl over TLS: every namespace gets the `default`
// account and the kube-root-ca.crt map (the kubeconfig's CA), a deleted account comes back,
// pods run as `default` with the API-access volume and are refused for an account that does not exist, `kubectl create
// token` and `kubectl auth whoami` show the admin, a token-file user, an impersonated user and
// a ServiceAccount token's identity, and a bad SelfSubjectReview body gets a clear 400.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KUBECTL, runProcess, startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { clusterUsers, type ClusterUsers } from "../helpers/clusterUsers.js";
import { credentialsFromKubeconfig } from "../helpers/tlsFetch.js";

const ALICE_TOKEN = "alice-sa-e2e-0123456789";

let c: TestCluster;
let users: ClusterUsers;

/** Polls kubectl until it succeeds with output matching `want`; the controllers act asynchronously. */
async function eventually(args: string[], want: (stdout: string) => boolean, what: string): Promise<string> {
  let last = "";
  for (let i = 0; i < 100; i++) {
    const r = await c.kubectl(args);
    last = r.stdout + r.stderr;
    if (r.code === 0 && want(r.stdout)) return r.stdout;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} never happened; last kubectl output: ${last}`);
}

/** `kubectl auth whoami` table rows as ATTRIBUTE → VALUE. */
function whoamiRows(stdout: string): Record<string, string> {
  const lines = stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^ATTRIBUTE\s+VALUE$/);
  return Object.fromEntries(lines.slice(1).map((l) => {
    const m = /^(.+?)\s{2,}(.+)$/.exec(l);
    return [m?.[1] ?? l, m?.[2] ?? ""];
  }));
}

beforeAll(async () => {
  c = await startTestCluster({ tokens: `${ALICE_TOKEN},alice,alice-uid,"devs,ops"\n` });
  users = await clusterUsers(c);
});
afterAll(async () => {
  await c.stop();
});

describe("ServiceAccount and root CA controllers", () => {
  it("gives the built-in namespaces their default account and the cluster CA", async () => {
    const { ca } = await credentialsFromKubeconfig(c.kubeconfig);
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      await eventually(["get", "serviceaccount", "default", "-n", ns, "-o", "name"], (out) => out === "serviceaccount/default\n", `${ns}/default account`);
      const caCrt = await eventually(["get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.data.ca\\.crt}"], (out) => out !== "", `${ns} root CA`);
      expect(caCrt).toBe(ca);
    }
  });

  it("gives a new namespace both, and lets a pod created at once run as default", async () => {
    await c.kubectlOk(["create", "namespace", "sa-new"]);
    // No waiting between the two: admission waits briefly for the controller's account.
    await c.kubectlOk(["run", "web", "-n", "sa-new", "--image=nginx"]);
    expect(await c.kubectlOk(["get", "pod", "web", "-n", "sa-new", "-o", "jsonpath={.spec.serviceAccountName} {.spec.serviceAccount}"])).toBe("default default");
    const access = await c.kubectlOk(["get", "pod", "web", "-n", "sa-new", "-o", "jsonpath={.spec.volumes[0].name} {.spec.containers[0].volumeMounts[0].mountPath} {.spec.volumes[0].projected.sources[1].configMap.name}"]);
    expect(access).toMatch(/^kube-api-access-[a-z0-9]{5} \/var\/run\/secrets\/kubernetes.io\/serviceaccount kube-root-ca.crt$/);
    await eventually(["get", "configmap", "kube-root-ca.crt", "-n", "sa-new", "-o", "name"], (out) => out === "configmap/kube-root-ca.crt\n", "sa-new root CA");
  });

  it("creates the default account again after it is deleted", async () => {
    await c.kubectlOk(["create", "namespace", "sa-del"]);
    const uid = await eventually(["get", "serviceaccount", "default", "-n", "sa-del", "-o", "jsonpath={.metadata.uid}"], (out) => out !== "", "sa-del account");
    await c.kubectlOk(["delete", "serviceaccount", "default", "-n", "sa-del"]);
    const again = await eventually(["get", "serviceaccount", "default", "-n", "sa-del", "-o", "jsonpath={.metadata.uid}"], (out) => out !== "" && out !== uid, "the account again");
    expect(again).not.toBe(uid);
  });

  it("refuses a pod whose account does not exist, as Kubernetes does", async () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "ghostly", namespace: "default" }, spec: { serviceAccountName: "ghost", containers: [{ name: "c", image: "nginx" }] } };
    const r = await c.kubectl(["create", "-f", "-"], { input: JSON.stringify(pod) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pods "ghostly" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
    await c.kubectlOk(["create", "serviceaccount", "ghost"]);
    await c.kubectlOk(["create", "-f", "-"], { input: JSON.stringify(pod) });
  });
});

describe("kubectl create token and kubectl auth whoami", () => {
  it("shows the admin", async () => {
    const rows = whoamiRows(await c.kubectlOk(["auth", "whoami"]));
    expect(rows).toEqual({ Username: "berth-admin", Groups: "[system:masters system:authenticated]" });
  });

  it("shows a token-file user with uid and groups, and an impersonated user", async () => {
    const alice = await users.kubeconfigFor("alice", { token: ALICE_TOKEN });
    const r = await users.kubectlWith(alice, ["auth", "whoami"]);
    expect(r.stderr).toBe("");
    expect(whoamiRows(r.stdout)).toEqual({ Username: "alice", UID: "alice-uid", Groups: "[devs ops system:authenticated]" });
    const asBob = JSON.parse(await c.kubectlOk(["auth", "whoami", "--as", "bob", "--as-group", "qa", "-o", "json"])) as { status: { userInfo: unknown } };
    expect(asBob.status.userInfo).toEqual({ username: "bob", groups: ["qa", "system:authenticated"] });
  });

  it("issues a token for the default account whose identity whoami shows", async () => {
    await c.kubectlOk(["create", "namespace", "sa-token"]);
    await eventually(["get", "serviceaccount", "default", "-n", "sa-token", "-o", "name"], (out) => out !== "", "sa-token account");
    const token = (await c.kubectlOk(["create", "token", "default", "-n", "sa-token"])).trim();
    expect(token.split(".")).toHaveLength(3);
    const uid = await c.kubectlOk(["get", "serviceaccount", "default", "-n", "sa-token", "-o", "jsonpath={.metadata.uid}"]);
    const robot = await users.kubeconfigFor("sa-token", { token });
    const rows = whoamiRows((await users.kubectlWith(robot, ["auth", "whoami"])).stdout);
    expect(rows.Username).toBe("system:serviceaccount:sa-token:default");
    expect(rows.UID).toBe(uid);
    expect(rows.Groups).toBe("[system:serviceaccounts system:serviceaccounts:sa-token system:authenticated]");
    expect(rows["Extra: authentication.kubernetes.io/credential-id"]).toMatch(/^\[JTI=[0-9a-f-]+\]$/);
  });

  it("lets an account bound to system:auth-delegator review tokens with kubectl create", async () => {
    await c.kubectlOk(["create", "serviceaccount", "reviewer"]);
    const reviewer = await users.kubeconfigFor("reviewer", { token: (await c.kubectlOk(["create", "token", "reviewer"])).trim() });
    const token = (await c.kubectlOk(["create", "token", "default"])).trim();
    const review = JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } });
    const denied = await runProcess(KUBECTL, ["--kubeconfig", reviewer, "create", "-f", "-", "-o", "json"], { input: review });
    expect(denied.stderr).toContain('User "system:serviceaccount:default:reviewer" cannot create resource "tokenreviews" in API group "authentication.k8s.io"');
    await c.kubectlOk(["create", "clusterrolebinding", "reviewer-delegator", "--clusterrole=system:auth-delegator", "--serviceaccount=default:reviewer"]);
    const allowed = await runProcess(KUBECTL, ["--kubeconfig", reviewer, "create", "-f", "-", "-o", "json"], { input: review });
    expect(allowed.stderr).toBe("");
    const answer = JSON.parse(allowed.stdout) as { status: { authenticated?: boolean; user?: { username?: string } } };
    expect(answer.status).toMatchObject({ authenticated: true, user: { username: "system:serviceaccount:default:default" } });
  });

  it("refuses a token for an account that does not exist", async () => {
    const r = await c.kubectl(["create", "token", "nobody", "-n", "default"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('serviceaccounts "nobody" not found');
  });

  it("answers a bad SelfSubjectReview body with a 400 that says what is wrong", async () => {
    const post = (body: string) => c.fetch("/apis/authentication.k8s.io/v1/selfsubjectreviews", { method: "POST", body, headers: { "content-type": "application/json" } });
    const table = [
      { body: "{not json", message: /^couldn't get version\/kind; json parse error/ },
      { body: JSON.stringify({ apiVersion: "v1", kind: "Pod" }), message: /^the kind in the data \(Pod\) does not match the expected kind \(SelfSubjectReview\)$/ },
      { body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview", status: [] }), message: /^SelfSubjectReview.status: expected an object, got \[\]$/ },
    ];
    for (const t of table) {
      const res = await post(t.body);
      expect(res.status).toBe(400);
      const status = (await res.json()) as { kind: string; reason: string; message: string };
      expect(status).toMatchObject({ kind: "Status", reason: "BadRequest" });
      expect(status.message).toMatch(t.message);
    }
  });
});
