// Argo CD habits against a real built-in cluster and a real git repository of plain
// manifests: hooks declared with only generateName (and their delete policies), a sync that
// cannot finish (timeout, retry strategy, and the next sync starting), ignoreDifferences,
// IgnoreExtraneous, Replace=true, and specs or manifests that must be refused clearly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getApp, requestSync } from "../../controller/actions/app.js";
import { waitApp } from "../../controller/actions/wait.js";
import type { Application } from "../../controller/application/types.js";
import type { Unstructured } from "../../kube/client/index.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { removeTempDirs } from "../helpers/tmp.js";
import { createManifestRepo, startTestController, type ManifestRepo, type RunningTestController } from "./fixtures.js";

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const cm = (name: string, extra = ""): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  k: v\n`;

function hookPod(generateName: string, hook: string, policy?: string, exitCode = 0): string {
  return [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    `  generateName: ${generateName}`,
    "  annotations:",
    `    argocd.argoproj.io/hook: ${hook}`,
    ...(policy ? [`    argocd.argoproj.io/hook-delete-policy: ${policy}`] : []),
    '    berth.dev/sim-duration: "300ms"',
    `    berth.dev/sim-exit-code: "${exitCode}"`,
    "spec:",
    "  restartPolicy: Never",
    "  containers: [{ name: job, image: busybox }]",
    "",
  ].join("\n");
}

function deployment(name: string, options: { replicas?: number; neverReady?: boolean } = {}): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    `metadata: { name: ${name} }`,
    "spec:",
    `  replicas: ${options.replicas ?? 1}`,
    `  selector: { matchLabels: { app: ${name} } }`,
    "  template:",
    "    metadata:",
    `      labels: { app: ${name} }`,
    ...(options.neverReady ? ['      annotations: { berth.dev/sim-never-ready: "true" }'] : []),
    "    spec:",
    "      containers: [{ name: web, image: nginx }]",
    "",
  ].join("\n");
}

describe("Argo CD habits", () => {
  let cluster: TestCluster;
  let ctl: RunningTestController;
  const target = () => ({ client: ctl.client, namespace: "default" });

  async function createApp(name: string, repo: ManifestRepo, spec: Record<string, unknown> = {}): Promise<void> {
    const { syncPolicy, ...rest } = spec;
    await ctl.client.create({
      apiVersion: "berth.dev/v1alpha1",
      kind: "Application",
      metadata: { name, namespace: "default" },
      spec: { source: { repoURL: repo.dir, targetRevision: "main", path: "apps" }, destination: { namespace: "default" }, syncPolicy: syncPolicy ?? {}, ...rest },
    });
  }

  async function syncAndWait(name: string): Promise<Application> {
    const id = await requestSync(name, target());
    return until(`operation ${id} of ${name} to end`, async () => {
      const a = await getApp(target(), name);
      const op = a.status.operationState;
      return op?.id === id && op.phase !== "Running" ? a : undefined;
    }, 60_000);
  }

  async function reconciles(): Promise<number> {
    return (await ctl.controller.metrics.reconciles.get()).values.reduce((n, v) => n + v.value, 0);
  }

  async function pods(prefix: string): Promise<Unstructured[]> {
    const { items } = await ctl.client.list({ apiVersion: "v1", kind: "Pod" }, { namespace: "default" });
    return items.filter((p) => (p.metadata.name ?? "").startsWith(prefix) && !p.metadata.deletionTimestamp);
  }

  beforeAll(async () => {
    cluster = await startTestCluster();
    ctl = await startTestController(cluster.kubeconfig, { syncTimeoutMs: 4000 });
  }, 120_000);
  afterAll(async () => {
    await ctl?.stop();
    await cluster?.stop();
    await removeTempDirs();
  });

  it("runs generateName hooks under a name per sync; BeforeHookCreation keeps only the newest, HookSucceeded none", async () => {
    const repo = await createManifestRepo({
      "cm.yaml": cm("hooked-config"),
      "migrate.yaml": hookPod("migrate-", "PreSync"),
      "notify.yaml": hookPod("notify-", "PostSync", "HookSucceeded"),
    });
    await createApp("hooked", repo);
    const first = await syncAndWait("hooked");
    expect(first.status.operationState).toMatchObject({ phase: "Succeeded" });
    const firstMigrate = await pods("migrate-");
    expect(firstMigrate).toHaveLength(1);
    expect(firstMigrate[0].metadata.annotations?.["app.berth.dev/hook-generate-name"]).toBe("migrate-");
    const hookStatus = first.status.operationState?.syncResult.resources.find((r) => r.name === firstMigrate[0].metadata.name);
    expect(hookStatus).toMatchObject({ kind: "Pod", hookType: "PreSync", hookPhase: "Succeeded" });
    await until("the succeeded PostSync hook deleted", async () => ((await pods("notify-")).length === 0 ? true : undefined));

    // A second sync of the same commit: a new migrate pod under a new name, the old one gone.
    await new Promise((r) => setTimeout(r, 1100)); // names carry the operation's start second
    const second = await syncAndWait("hooked");
    expect(second.status.operationState?.phase).toBe("Succeeded");
    const secondMigrate = await until("one migrate pod left", async () => {
      const p = await pods("migrate-");
      return p.length === 1 ? p : undefined;
    });
    expect(secondMigrate[0].metadata.name).not.toBe(firstMigrate[0].metadata.name);
  });

  it("ends a sync that cannot finish as Failed after its retries, then starts the next sync", async () => {
    const repo = await createManifestRepo({ "web.yaml": deployment("stuck", { neverReady: true }) });
    await createApp("stuck", repo, { syncPolicy: { retry: { limit: 1, backoff: { duration: "1s", factor: 2, maxDuration: "5s" } } } });
    const failed = await syncAndWait("stuck");
    const op = failed.status.operationState;
    expect(op?.phase).toBe("Failed");
    expect(op?.retryCount).toBe(1);
    expect(op?.message).toMatch(/^timed out after 4s: Sync wave 0: waiting for 1 of 1 resource\(s\)/);
    const events = await cluster.kubectlOk(["get", "events", "--field-selector", "involvedObject.name=stuck", "-o", "jsonpath={.items[*].reason}"]);
    expect(events).toContain("SyncRetry");
    expect(events).toContain("SyncFailed");

    await repo.commit({ "web.yaml": deployment("stuck") }, "ready pods");
    const fixed = await syncAndWait("stuck");
    expect(fixed.status.operationState).toMatchObject({ phase: "Succeeded" });
    expect(fixed.status.operationState?.retryCount).toBeUndefined();
  });

  it("fails a hook sync at once without a retry strategy, deleting a HookFailed hook", async () => {
    const repo = await createManifestRepo({ "cm.yaml": cm("failing-config"), "check.yaml": hookPod("check-", "PreSync", "HookFailed", 3) });
    await createApp("failing", repo);
    const done = await syncAndWait("failing");
    expect(done.status.operationState?.phase).toBe("Failed");
    expect(done.status.operationState?.message).toMatch(/^PreSync wave 0: Pod\/check-[0-9a-f]{7}-presync-\d+: hook failed/);
    await until("the failed hook deleted", async () => ((await pods("check-")).length === 0 ? true : undefined));
    expect((await cluster.kubectl(["get", "configmap", "failing-config"])).code).not.toBe(0);
  });

  it("leaves ignoreDifferences fields out of the comparison (an HPA-style replica change stays Synced)", async () => {
    const repo = await createManifestRepo({ "web.yaml": deployment("scaled", { replicas: 1 }) });
    await createApp("scaled", repo, { ignoreDifferences: [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] }] });
    expect((await syncAndWait("scaled")).status.operationState?.phase).toBe("Succeeded");
    await waitApp("scaled", { ...target(), sync: true, timeoutMs: 30_000 });
    await cluster.kubectlOk(["scale", "deploy/scaled", "--replicas=3"]);
    // Two reconciles that start after the scale is visible (the second after the watch event).
    for (let i = 0; i < 2; i++) {
      const before = await reconciles();
      await new Promise((r) => setTimeout(r, 300));
      ctl.controller.refresh("default/scaled");
      await until("a reconcile", async () => ((await reconciles()) > before ? true : undefined));
    }
    const app = await getApp(target(), "scaled");
    expect(await cluster.kubectlOk(["get", "deploy", "scaled", "-o", "jsonpath={.spec.replicas}"])).toBe("3");
    expect(app.status.sync.status).toBe("Synced");
    expect(app.status.resources.find((r) => r.name === "scaled")?.status).toBe("Synced");
  });

  it("keeps an IgnoreExtraneous leftover out of the sync status and replaces Replace=true objects", async () => {
    const extra = cm("extra-config", "  annotations:\n    argocd.argoproj.io/compare-options: IgnoreExtraneous\n");
    const replaced = cm("replaced-config", "  annotations:\n    argocd.argoproj.io/sync-options: Replace=true\n");
    const repo = await createManifestRepo({ "a.yaml": cm("kept-config"), "b.yaml": extra, "c.yaml": replaced });
    await createApp("extraneous", repo);
    expect((await syncAndWait("extraneous")).status.operationState?.phase).toBe("Succeeded");
    const managers = await cluster.kubectlOk(["get", "configmap", "replaced-config", "-o", "jsonpath={.metadata.managedFields[*].operation}"]);
    expect(managers).toBe("Update");
    await repo.commit({ "a.yaml": cm("kept-config"), "c.yaml": replaced }, "drop extra");
    const app = await until("refresh at the new commit", async () => {
      ctl.controller.refresh("default/extraneous");
      const a = await getApp(target(), "extraneous");
      return a.status.resources.some((r) => r.name === "extra-config" && r.message?.includes("IgnoreExtraneous")) ? a : undefined;
    });
    expect(app.status.sync.status).toBe("Synced");
    expect(app.status.resources.find((r) => r.name === "replaced-config")?.status).toBe("Synced");
  });

  it("refuses bad input clearly: generateName on a non-hook, jq paths, a bad retry duration", async () => {
    const repo = await createManifestRepo({ "bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: nope-\ndata: {}\n" });
    await createApp("badname", repo);
    const app = await until("comparison error", async () => {
      const a = await getApp(target(), "badname");
      return a.status.conditions.find((c) => c.type === "ComparisonError");
    });
    expect(app.message).toMatch(/apps\/bad\.yaml: ConfigMap: metadata\.generateName works on hooks only/);

    const refused = await cluster.kubectl(["apply", "-f", "-"], {
      input: "apiVersion: berth.dev/v1alpha1\nkind: Application\nmetadata: { name: jq, namespace: default }\nspec:\n  source: { repoURL: /x }\n  ignoreDifferences: [{ kind: Deployment, jqPathExpressions: ['.spec.replicas'] }]\n",
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("jqPathExpressions");
    const badRetry = await cluster.kubectl(["apply", "-f", "-"], {
      input: "apiVersion: berth.dev/v1alpha1\nkind: Application\nmetadata: { name: retry, namespace: default }\nspec:\n  source: { repoURL: /x }\n  syncPolicy: { retry: { limit: 2, backoff: { duration: soon } } }\n",
    });
    expect(badRetry.code).not.toBe(0);
    expect(badRetry.stderr).toContain("duration");
  });
});
