// GitOps with berth's hosted repositories and webhooks, as a user runs it: `berth controller
// run` as its own process (hosted git under /git/, webhooks on /api/webhook), `berth app create
// --hosted --seed`, real git pushing over HTTP with the printed credential helper, and GitHub
// push webhooks that must be signed and wake only the apps on that repository and branch.
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBerth } from "../helpers/cli.js";
import { startController, type StartedController } from "../helpers/controller.js";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/tmp.js";

const execFileAsync = promisify(execFile);
const SECRET = "e2e-webhook-secret";

async function git(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", LANG: "C", LC_ALL: "C", GIT_AUTHOR_NAME: "E2E", GIT_AUTHOR_EMAIL: "e2e@example.com", GIT_COMMITTER_NAME: "E2E", GIT_COMMITTER_EMAIL: "e2e@example.com" };
  try {
    const { stdout, stderr } = await execFileAsync("git", ["-C", cwd, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const text = (k: string): string => (err instanceof Error && typeof Reflect.get(err, k) === "string" ? String(Reflect.get(err, k)) : "");
    return { code: 1, stdout: text("stdout"), stderr: text("stderr") };
  }
}


/** A chart of one ConfigMap whose data comes from values.yaml. */
function configChart(value: string): Record<string, string> {
  return {
    "Chart.yaml": "apiVersion: v2\nname: cfg\nversion: 0.1.0\n",
    "values.yaml": `value: ${value}\n`,
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-cfg\ndata:\n  value: {{quote Values.value}}\n",
  };
}

function githubPush(repoURL: string, ref: string): { body: string; signature: string } {
  const body = JSON.stringify({ ref, after: "0".repeat(40), repository: { clone_url: repoURL, html_url: repoURL.replace(/\.git$/, "") } });
  return { body, signature: `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` };
}

describe("hosted repositories and webhooks (berth controller run)", () => {
  let cluster: TestCluster;
  let controller: StartedController;
  let controllerDir: string;
  let work: string;
  const berth = (args: string[]) => runBerth([...args, "--kubeconfig", cluster.kubeconfig]);
  const revision = async (app: string): Promise<string> => JSON.parse((await berth(["app", "get", app, "-o", "json"])).stdout).status.sync.revision;
  const configValue = (app: string) => cluster.kubectlOk(["get", "cm", `${app}-cfg`, "-o", "jsonpath={.data.value}"]);
  async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 300; i++) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  const webhook = (body: string, signature: string) =>
    fetch(`${controller.url}/api/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature }, body });

  /** A hosted app seeded with configChart(value), polled only hourly, Synced and Healthy. */
  async function hostedApp(name: string, value: string): Promise<{ remote: string; stdout: string }> {
    const seed = await writeFiles(await makeTempDir("berth-seed-"), configChart(value));
    const r = await berth(["app", "create", name, "--hosted", "--seed", seed, "--controller-dir", controllerDir, "--auto-sync", "--prune", "--poll-interval", "1h"]);
    expect(r.code, r.stderr).toBe(0);
    const remote = /hosted repository: (\S+)/.exec(r.stdout)?.[1] ?? "";
    expect((await berth(["app", "wait", name, "--timeout", "60s"])).stdout).toBe(`${name}: Synced, Healthy\n`);
    return { remote, stdout: r.stdout };
  }

  /** Commits value to the hosted repository straight on disk: no push over HTTP, so no notification. */
  async function commitOnDisk(name: string, value: string): Promise<string> {
    const dir = path.join(work, `${name}-disk`);
    await git(["clone", "-q", path.join(controllerDir, "hosted", `${name}.git`), dir], work);
    await writeFile(path.join(dir, "values.yaml"), `value: ${value}\n`);
    await git(["commit", "-qam", `value ${value}`], dir);
    expect((await git(["push", "-q", "origin", "main"], dir)).code).toBe(0);
    return (await git(["rev-parse", "HEAD"], dir)).stdout.trim();
  }

  beforeAll(async () => {
    cluster = await startTestCluster();
    controllerDir = await makeTempDir("berth-ctl-");
    work = await makeTempDir("berth-hosted-work-");
    controller = await startController({ kubeconfig: cluster.kubeconfig, dataDir: controllerDir, args: ["--webhook-secret", SECRET] });
  }, 120_000);
  afterAll(async () => {
    if (controller?.child.pid) process.kill(controller.child.pid, "SIGTERM");
    await cluster?.stop();
    await removeTempDirs();
  });

  it("app create --hosted prints a remote; a push over HTTP deploys at once", async () => {
    const { remote, stdout } = await hostedApp("pushed", "one");
    expect(remote).toBe(`${controller.url}/git/pushed.git`);
    const clone = /git clone -c (\S+)="([^"]+)" (\S+)/.exec(stdout);
    expect(clone).not.toBeNull();
    const dir = path.join(work, "pushed");
    const cloned = await git(["clone", "-q", "-c", `${clone?.[1]}=${clone?.[2]}`, remote, dir], work);
    expect(cloned.code, cloned.stderr).toBe(0);
    await writeFile(path.join(dir, "values.yaml"), "value: two\n");
    await git(["commit", "-qam", "two"], dir);
    expect((await git(["push", "-q"], dir)).code).toBe(0);
    // Polled hourly: only the push's own notification can deploy this in time.
    await until("the pushed value", async () => (await configValue("pushed")) === "two");
  }, 120_000);

  it("refuses a badly signed webhook and syncs only the apps on the signed push's repository and branch", async () => {
    const a = await hostedApp("hooka", "a1");
    const b = await hostedApp("hookb", "b1");
    const aBefore = await revision("hooka");
    const aNew = await commitOnDisk("hooka", "a2");
    const bNew = await commitOnDisk("hookb", "b2");

    const bad = githubPush(a.remote, "refs/heads/main");
    const refused = await webhook(bad.body, `sha256=${"0".repeat(64)}`);
    expect(refused.status).toBe(401);
    const unsigned = await fetch(`${controller.url}/api/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "push" }, body: bad.body });
    expect(unsigned.status).toBe(401);

    const otherBranch = githubPush(a.remote, "refs/heads/feature");
    expect((await webhook(otherBranch.body, otherBranch.signature)).status).toBe(200);
    const good = githubPush(b.remote, "refs/heads/main");
    expect((await webhook(good.body, good.signature)).status).toBe(200);
    await until("hookb to sync its new commit", async () => (await revision("hookb")) === bNew && (await configValue("hookb")) === "b2");
    // Neither the refused hooks, nor the push to another branch, nor b's push touched a.
    expect(await revision("hooka")).toBe(aBefore);
    expect(await configValue("hooka")).toBe("a1");

    const goodA = githubPush(a.remote, "refs/heads/main");
    expect((await webhook(goodA.body, goodA.signature)).status).toBe(200);
    await until("hooka to sync its new commit", async () => (await revision("hooka")) === aNew && (await configValue("hooka")) === "a2");
  }, 150_000);
});
