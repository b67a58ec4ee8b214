// GitOps end to end as a user runs it: `berth controller run` as its own process, `berth app`
// commands and real kubectl against the built-in cluster, a local git repository as the source.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBerth } from "../helpers/cli.js";
import { startController, type StartedController } from "../helpers/controller.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { makeTempDir, removeTempDirs } from "../helpers/tmp.js";
import { createDemoRepo, type DemoRepo } from "../controller/fixtures.js";


describe("berth app + berth controller run", () => {
  let cluster: TestCluster;
  let repo: DemoRepo;
  let controller: StartedController;
  const berth = (args: string[]) => runBerth([...args, "--kubeconfig", cluster.kubeconfig]);

  beforeAll(async () => {
    cluster = await startTestCluster();
    repo = await createDemoRepo();
    controller = await startController({ kubeconfig: cluster.kubeconfig, dataDir: await makeTempDir("berth-ctl-") });
  }, 120_000);
  afterAll(async () => {
    if (controller?.child.pid) process.kill(controller.child.pid, "SIGTERM");
    await cluster?.stop();
    await removeTempDirs();
  });

  it("creates an app that deploys the chart, lists it, and shows its history", async () => {
    const created = await berth(["app", "create", "demo", "--repo", repo.dir, "--path", "chart", "--revision", "main", "--auto-sync", "--prune", "--self-heal"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const waited = await berth(["app", "wait", "demo", "--timeout", "60s"]);
    expect(waited.stdout).toBe("demo: Synced, Healthy\n");
    expect(await cluster.kubectlOk(["get", "deploy", "demo-web", "-o", "jsonpath={.spec.replicas}"])).toBe("2");
    const list = await berth(["app", "list"]);
    expect(list.stdout).toMatch(/^NAME\s+SYNC\s+HEALTH\s+REVISION\s+REPO\s+PATH\n/);
    expect(list.stdout).toMatch(/demo\s+Synced\s+Healthy\s+[0-9a-f]{7}\s+\S+\s+chart/);
    const history = await berth(["app", "history", "demo", "-o", "json"]);
    expect(JSON.parse(history.stdout)).toMatchObject([{ id: 1, message: "initial chart", deployedBy: "automated" }]);
    const metrics = await (await fetch(`${controller.url}/metrics`)).text();
    expect(metrics).toMatch(/berth_app_syncs_total\{result="succeeded"\} [1-9]/);
  });

  it("reverts the deployed commit with `app revert` and rolls back with `app rollback`", async () => {
    await repo.commit({ replicas: 3 }, "three");
    const deployed = async (n: number) => {
      for (let i = 0; i < 150; i++) {
        const r = await berth(["app", "history", "demo", "-o", "json"]);
        const h: unknown = JSON.parse(r.stdout);
        if (Array.isArray(h) && h.length === n) return;
        await new Promise((res) => setTimeout(res, 200));
      }
      throw new Error(`history never reached ${n} entries`);
    };
    await deployed(2);
    const revert = await berth(["app", "revert", "demo"]);
    expect(revert.code).toBe(0);
    expect(revert.stdout).toMatch(/^reverted [0-9a-f]{7} with commit [0-9a-f]{7} \("Revert "three""\)/);
    await deployed(3);
    expect(await cluster.kubectlOk(["get", "deploy", "demo-web", "-o", "jsonpath={.spec.replicas}"])).toBe("2");
    const rollback = await berth(["app", "rollback", "demo", "2"]);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain("automated sync of demo turned off");
    expect(await cluster.kubectlOk(["get", "deploy", "demo-web", "-o", "jsonpath={.spec.replicas}"])).toBe("3");
  });

  it("refuses bad input with one line", async () => {
    const r = await berth(["app", "create", "x", "--repo", repo.dir, "--prune"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error: --prune and --self-heal need --auto-sync\n");
    const missing = await berth(["app", "get", "nope"]);
    expect(missing.stderr).toBe('Error: application "nope" not found in namespace default\n');
  });

  it("deletes with --cascade, removing what the app deployed", async () => {
    const r = await berth(["app", "delete", "demo", "--cascade"]);
    expect(r.code).toBe(0);
    for (let i = 0; i < 150; i++) {
      if ((await cluster.kubectl(["get", "deploy", "demo-web"])).code !== 0 && (await cluster.kubectl(["get", "application", "demo"])).code !== 0) return;
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error("app and its deployment still there");
  });
});
