// The sync loop against a real built-in cluster and a real local git repository: an app
// follows a chart, commits roll it, prune and self-heal work, a broken commit keeps what runs,
// rollback and revert deploy earlier commits, and a restarted controller converges.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, getApp, requestSync, rollbackApp } from "../../controller/actions/app.js";
import { waitApp } from "../../controller/actions/wait.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { removeTempDirs } from "../helpers/tmp.js";
import { createDemoRepo, startTestController, type DemoRepo, type RunningTestController } from "./fixtures.js";

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("GitOps sync loop", () => {
  let cluster: TestCluster;
  let repo: DemoRepo;
  let ctl: RunningTestController;
  const target = () => ({ client: ctl.client, namespace: "default" });
  const replicas = async () => (await cluster.kubectlOk(["get", "deploy", "demo-web", "-o", "jsonpath={.spec.replicas}"])).trim();
  const waitSynced = (name = "demo") => waitApp(name, { ...target(), sync: true, health: true, timeoutMs: 45_000 });

  beforeAll(async () => {
    cluster = await startTestCluster();
    repo = await createDemoRepo();
    ctl = await startTestController(cluster.kubeconfig);
  }, 120_000);
  afterAll(async () => {
    await ctl?.stop();
    await cluster?.stop();
    await removeTempDirs();
  });

  it("syncs a chart app to Synced / Healthy with its objects running", async () => {
    await createApp({ ...target(), name: "demo", repoURL: repo.dir, path: "chart", revision: "main", autoSync: true, prune: true, selfHeal: true });
    const app = await waitSynced();
    const head = (await repo.git.revparse(["HEAD"])).trim();
    expect(app.status.sync).toEqual({ status: "Synced", revision: head });
    expect(app.status.history).toHaveLength(1);
    expect(app.status.history[0]).toMatchObject({ id: 1, revision: head, message: "initial chart", author: "Test Author <test@example.com>", deployedBy: "automated" });
    expect(await replicas()).toBe("2");
    const labels = await cluster.kubectlOk(["get", "configmap", "demo-config", "-o", "jsonpath={.metadata.labels.app\\.berth\\.dev/instance}"]);
    expect(labels).toBe("demo");
    const apps = await cluster.kubectlOk(["get", "applications"]);
    expect(apps).toMatch(/NAME\s+SYNC\s+HEALTH\s+REVISION\s+AGE/);
    expect(apps).toMatch(/demo\s+Synced\s+Healthy/);
  });

  it("rolls out a commit that changes the replica count", async () => {
    const sha = await repo.commit({ replicas: 3 }, "three replicas");
    await until("3 replicas", async () => ((await replicas()) === "3" ? true : undefined));
    const app = await until("history entry 2", async () => {
      const a = await getApp(target(), "demo");
      return a.status.history.length === 2 && a.status.sync.status === "Synced" ? a : undefined;
    });
    expect(app.status.history[1]).toMatchObject({ id: 2, revision: sha, message: "three replicas" });
  });

  it("heals kubectl scale drift (selfHeal)", async () => {
    await cluster.kubectlOk(["scale", "deploy/demo-web", "--replicas=1"]);
    await until("healed to 3 replicas", async () => ((await replicas()) === "3" ? true : undefined));
    const app = await waitSynced();
    // A self-heal re-applies the same commit: no new history entry.
    expect(app.status.history).toHaveLength(2);
  });

  it("prunes the objects of a deleted template", async () => {
    await repo.commit({ replicas: 3, extra: false }, "drop extra");
    await until("extra pruned", async () => ((await cluster.kubectl(["get", "configmap", "demo-extra"])).code !== 0 ? true : undefined));
    expect((await cluster.kubectl(["get", "configmap", "demo-config"])).code).toBe(0);
  });

  it("keeps what runs when a commit does not render, shows the file and line, and syncs the next good commit", async () => {
    const bad = await repo.commit({ replicas: 5, extra: false, configTemplate: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n" }, "broken");
    const app = await until("comparison error", async () => {
      const a = await getApp(target(), "demo");
      return a.status.conditions.some((c) => c.type === "ComparisonError") ? a : undefined;
    });
    const condition = app.status.conditions.find((c) => c.type === "ComparisonError");
    expect(condition?.message).toContain(bad.slice(0, 7));
    expect(condition?.message).toMatch(/demo\/templates\/config\.yaml:\d+/);
    expect(await replicas()).toBe("3");
    await repo.commit({ replicas: 4, extra: false }, "fixed");
    await until("4 replicas", async () => ((await replicas()) === "4" ? true : undefined));
    const fixed = await waitSynced();
    expect(fixed.status.conditions.filter((c) => c.type === "ComparisonError")).toEqual([]);
  });

  it("rolls back to a history entry and turns automated sync off", async () => {
    const before = await getApp(target(), "demo");
    const entry = before.status.history.find((h) => h.message === "three replicas");
    expect(entry).toBeDefined();
    const result = await rollbackApp("demo", { ...target(), id: entry?.id });
    expect(result.autoSyncDisabled).toBe(true);
    await waitApp("demo", { ...target(), operationId: result.operationId, timeoutMs: 45_000 });
    expect(await replicas()).toBe("3");
    const app = await getApp(target(), "demo");
    expect(app.spec.syncPolicy.automated).toBeUndefined();
    expect(app.status.history.at(-1)).toMatchObject({ revision: entry?.revision, deployedBy: "user" });
  });

  it("reverts the deployed commit in git, and the revert deploys like any push", async () => {
    await ctl.client.patch({ apiVersion: "berth.dev/v1alpha1", kind: "Application", name: "demo", namespace: "default" }, { spec: { syncPolicy: { automated: { prune: true, selfHeal: true } } } }, { type: "merge" });
    const six = await repo.commit({ replicas: 6, extra: false }, "six replicas");
    await until("6 replicas", async () => ((await replicas()) === "6" ? true : undefined));
    await until("six deployed", async () => ((await getApp(target(), "demo")).status.history.at(-1)?.revision === six ? true : undefined));
    const revert = await ctl.git.revert(repo.dir, { commit: six, branch: "main" });
    expect(revert.message).toContain("Revert");
    await until("back to 4 replicas", async () => ((await replicas()) === "4" ? true : undefined));
    const app = await until("revert deployed", async () => {
      const a = await getApp(target(), "demo");
      return a.status.history.at(-1)?.revision === revert.sha && a.status.sync.status === "Synced" ? a : undefined;
    });
    expect(app.status.history.at(-1)?.message).toContain("Revert");
  });

  it("converges after a restart in the middle of a sync, with no duplicate history", async () => {
    const sha = await repo.commit({ replicas: 2, extra: true }, "restart me");
    await until("sync running", async () => {
      const a = await getApp(target(), "demo");
      return a.status.operationState?.syncResult.revision === sha ? true : undefined;
    });
    await ctl.stop();
    ctl = await startTestController(cluster.kubeconfig);
    await until("synced after restart", async () => {
      const a = await getApp(target(), "demo");
      return a.status.history.at(-1)?.revision === sha && a.status.sync.status === "Synced" ? true : undefined;
    });
    const app = await getApp(target(), "demo");
    expect(app.status.history.filter((h) => h.revision === sha)).toHaveLength(1);
    const ids = app.status.history.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await replicas()).toBe("2");
    expect((await cluster.kubectl(["get", "configmap", "demo-extra"])).code).toBe(0);
  });

  it("triggers a manual sync through the operation field", async () => {
    const id = await requestSync("demo", target());
    const app = await waitApp("demo", { ...target(), operationId: id, timeoutMs: 45_000 });
    expect(app.status.operationState).toMatchObject({ id, phase: "Succeeded", initiatedBy: "user" });
  });
});
