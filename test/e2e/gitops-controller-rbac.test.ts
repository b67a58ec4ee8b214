// `berth controller run` on its own, under its own identity (a client certificate for
// system:berth:gitops-controller): it names the binding it lacks instead of failing obscurely,
// refuses to start without its cluster-wide rights, and `berth controller rbac` prints what an
// admin applies so that it can deploy everywhere.

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeControllerKubeconfig } from "../../quickstart/identity.js";
import { runBerth } from "../helpers/cli.js";
import { startController, type StartedController } from "../helpers/controller.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { makeTempDir, removeTempDirs } from "../helpers/tmp.js";

async function stop(s: StartedController): Promise<void> {
  const exited = new Promise((r) => s.child.once("exit", r));
  if (s.child.pid) process.kill(s.child.pid, "SIGTERM");
  await exited;
}

describe("berth controller run under its own identity", () => {
  let cluster: TestCluster;
  let own: string;

  beforeAll(async () => {
    cluster = await startTestCluster();
    own = path.join(await makeTempDir("berth-ctl-id-"), "kubeconfig");
    await writeControllerKubeconfig({ clusterDataDir: cluster.dataDir, url: cluster.url, file: own });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    await removeTempDirs();
  });

  it("starts without namespace rights but names the missing ClusterRoleBinding", async () => {
    const s = await startController({ kubeconfig: own, dataDir: await makeTempDir("berth-ctl-") });
    try {
      expect(s.stderr()).toContain("system:berth:gitops-controller may not deploy into every namespace: ClusterRoleBinding berth:gitops-controller:namespaces is missing");
      expect(s.stderr()).toContain("kubectl create clusterrolebinding berth:gitops-controller:namespaces --clusterrole=berth:gitops-controller --user=system:berth:gitops-controller");
    } finally {
      await stop(s);
    }
  });

  it("refuses to start without its cluster-wide binding, saying which one, with no stack trace", async () => {
    await cluster.kubectlOk(["delete", "clusterrolebinding", "berth:gitops-controller:cluster"]);
    try {
      const failure = await startController({ kubeconfig: own, dataDir: await makeTempDir("berth-ctl-") }).then(
        async (s) => {
          await stop(s);
          return undefined;
        },
        (err: { code?: number; stderr?: string }) => err,
      );
      expect(failure?.code).not.toBe(0);
      expect(failure?.stderr).toContain("ClusterRoleBinding berth:gitops-controller:cluster (ClusterRole berth:gitops-controller:cluster → User system:berth:gitops-controller) is missing");
      expect(failure?.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await cluster.kubectlOk(["create", "clusterrolebinding", "berth:gitops-controller:cluster", "--clusterrole=berth:gitops-controller:cluster", "--user=system:berth:gitops-controller"]);
    }
  });

  it("starts with no warning as an admin (nothing to bind)", async () => {
    const s = await startController({ kubeconfig: cluster.kubeconfig, dataDir: await makeTempDir("berth-ctl-") });
    try {
      expect(s.stderr()).not.toContain("warning");
    } finally {
      await stop(s);
    }
  });

  it("prints the RBAC an admin applies (berth controller rbac), after which it starts with no warning", async () => {
    const rbac = await runBerth(["controller", "rbac"]);
    expect(rbac.code).toBe(0);
    expect(rbac.stdout).toContain("kind: ClusterRoleBinding");
    expect(rbac.stdout).toContain("name: berth:gitops-controller:namespaces");
    const json = await runBerth(["controller", "rbac", "-o", "json"]);
    expect((JSON.parse(json.stdout) as { items: unknown[] }).items).toHaveLength(4);
    await cluster.kubectlOk(["apply", "-f", "-"], { input: rbac.stdout });
    const s = await startController({ kubeconfig: own, dataDir: await makeTempDir("berth-ctl-") });
    try {
      expect(s.stderr()).not.toContain("warning");
    } finally {
      await stop(s);
    }
  });
});
