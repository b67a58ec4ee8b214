// Fixtures for controller tests: a local git repository holding a demo chart, edited and
// committed by the test, and an in-process controller against a real cluster.
import path from "node:path";
import { rm } from "node:fs/promises";
import { simpleGit, type SimpleGit } from "simple-git";
import { realClock } from "../../core/clock.js";
import { createGitSource } from "../../controller/git/index.js";
import type { GitSource } from "../../controller/git/types.js";
import { startGitOpsController, type GitOpsController } from "../../controller/manager.js";
import { createKubeClient, type KubeClient } from "../../kube/client/index.js";
import { makeTempDir, writeFiles } from "../helpers/tmp.js";

export interface DemoChartOptions {
  replicas?: number;
  message?: string;
  /** Include templates/extra.yaml (a ConfigMap that prune tests delete). */
  extra?: boolean;
  /** Replace templates/config.yaml with this text (e.g. broken YAML). */
  configTemplate?: string;
}

export function demoChart(o: DemoChartOptions = {}): Record<string, string> {
  const files: Record<string, string> = {
    "chart/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
    "chart/values.yaml": `replicas: ${o.replicas ?? 2}\nmessage: ${o.message ?? "hello"}\n`,
    "chart/templates/config.yaml":
      o.configTemplate ??
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-config\n  annotations:\n    berth.dev/sync-wave: \"-1\"\ndata:\n  message: {{quote Values.message}}\n",
    "chart/templates/deployment.yaml": [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: {{Release.Name}}-web",
      "spec:",
      "  replicas: {{Values.replicas}}",
      "  selector:",
      "    matchLabels: { app: {{Release.Name}}-web }",
      "  template:",
      "    metadata:",
      "      labels: { app: {{Release.Name}}-web }",
      "    spec:",
      "      containers:",
      "        - name: web",
      "          image: nginx:1.27",
      "",
    ].join("\n"),
  };
  if (o.extra !== false) {
    files["chart/templates/extra.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-extra\ndata:\n  k: v\n";
  }
  return files;
}

export interface DemoRepo {
  dir: string;
  git: SimpleGit;
  /** Writes the chart with these options and commits; returns the sha. */
  commit(options: DemoChartOptions, message: string): Promise<string>;
}

export async function createDemoRepo(options: DemoChartOptions = {}): Promise<DemoRepo> {
  const dir = await makeTempDir("berth-gitops-repo-");
  const git = simpleGit(dir);
  await git.init(["-b", "main"]);
  await git.addConfig("user.name", "Test Author");
  await git.addConfig("user.email", "test@example.com");
  const repo: DemoRepo = {
    dir,
    git,
    async commit(o, message) {
      await rm(path.join(dir, "chart"), { recursive: true, force: true });
      await writeFiles(dir, demoChart(o));
      await git.add(["-A", "."]);
      await git.commit(message);
      return (await git.revparse(["HEAD"])).trim();
    },
  };
  await repo.commit(options, "initial chart");
  return repo;
}

export interface RunningTestController {
  client: KubeClient;
  git: GitSource;
  controller: GitOpsController;
  logs: string[];
  stop(): Promise<void>;
}

export interface ManifestRepo {
  dir: string;
  git: SimpleGit;
  /** Replaces the folder's files with these (path → text) and commits; returns the sha. */
  commit(files: Record<string, string>, message: string): Promise<string>;
}

/** A repository of plain manifests under `apps/` (for tests that need exact objects). */
export async function createManifestRepo(files: Record<string, string>): Promise<ManifestRepo> {
  const dir = await makeTempDir("berth-gitops-manifests-");
  const git = simpleGit(dir);
  await git.init(["-b", "main"]);
  await git.addConfig("user.name", "Test Author");
  await git.addConfig("user.email", "test@example.com");
  const repo: ManifestRepo = {
    dir,
    git,
    async commit(f, message) {
      await rm(path.join(dir, "apps"), { recursive: true, force: true });
      await writeFiles(dir, Object.fromEntries(Object.entries(f).map(([k, v]) => [`apps/${k}`, v])));
      await git.add(["-A", "."]);
      await git.commit(message);
      return (await git.revparse(["HEAD"])).trim();
    },
  };
  await repo.commit(files, "initial manifests");
  return repo;
}

export async function startTestController(kubeconfig: string, options: { cacheDir?: string; syncTimeoutMs?: number } = {}): Promise<RunningTestController> {
  const cacheDir = options.cacheDir ?? (await makeTempDir("berth-gitops-cache-"));
  const client = createKubeClient({ kubeconfig });
  const git = createGitSource({ cacheDir, clock: realClock });
  const logs: string[] = [];
  const controller = await startGitOpsController({ client, git, log: (m) => logs.push(m), selfHealBackoffMs: 500, syncTimeoutMs: options.syncTimeoutMs });
  return {
    client,
    git,
    controller,
    logs,
    async stop() {
      await controller.stop();
      await git.close();
    },
  };
}
