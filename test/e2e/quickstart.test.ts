// The quick start as a user runs it (`npm start` → `berth quickstart`), on a temp data dir and
// free ports: it prints a kubectl context and a git remote; cloning that remote, changing the
// replica count and pushing scales the Deployment; `git revert` + push scales it back; a push
// with a wrong token is refused; Ctrl-C stops cleanly and a second start reuses everything.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runBerth } from "../helpers/cli.js";
import { KUBECTL, runProcess } from "../helpers/cluster.js";
import { makeTempDir, removeTempDirs } from "../helpers/tmp.js";

const execFileAsync = promisify(execFile);

interface Started {
  child: ChildProcess;
  stdout: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startQuickstart(dataDir: string, extra: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [CLI, "quickstart", "--data-dir", dataDir, "--port", "0", "--git-port", "0", ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("Ctrl-C stops everything")) resolve({ child, stdout: out, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`quickstart exited with ${code}: ${out}${err}`)));
  });
}

/** git, async (the server under test may share nothing with us, but never block the loop) with no stdin. */
async function runGit(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", LANG: "C", LC_ALL: "C" };
  try {
    const { stdout, stderr } = await execFileAsync("git", ["-C", cwd, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const field = (k: string): string => (k in e && typeof Reflect.get(e, k) === "string" ? String(Reflect.get(e, k)) : "");
    return { code: 1, stdout: field("stdout"), stderr: field("stderr") };
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("npm start (berth quickstart)", () => {
  let dataDir: string;
  let work: string;
  let qs: Started;
  let kubeconfig: string;
  let clone: { config: string; url: string };
  const kubectl = (args: string[]) => runProcess(KUBECTL, ["--kubeconfig", kubeconfig, "--cache-dir", path.join(work, "kube-cache"), ...args]);
  const git = (args: string[], cwd = path.join(work, "demo")) => runGit(args, cwd);
  const replicas = async (want: string) =>
    until(`${want} replicas`, async () => {
      const r = await kubectl(["get", "deploy", "demo", "-o", "jsonpath={.spec.replicas}/{.status.readyReplicas}"]);
      return r.stdout === `${want}/${want}` ? r.stdout : undefined;
    });

  beforeAll(async () => {
    dataDir = await makeTempDir("berth-quickstart-");
    work = await makeTempDir("berth-quickstart-work-");
    qs = await startQuickstart(dataDir);
    kubeconfig = /export KUBECONFIG=(\S+)/.exec(qs.stdout)?.[1] ?? "";
    const m = /git clone -c (\S+)="([^"]+)" (\S+)/.exec(qs.stdout);
    clone = { config: `${m?.[1] ?? ""}=${m?.[2] ?? ""}`, url: m?.[3] ?? "" };
  }, 180_000);
  afterAll(async () => {
    if (qs?.child.exitCode === null) qs.child.kill("SIGTERM");
    await removeTempDirs();
  });

  it("prints the kubectl context and a git remote without the token, and the demo app runs", async () => {
    expect(kubeconfig).toBe(path.join(dataDir, "cluster", "kubeconfig"));
    expect(clone.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/git\/demo\.git$/);
    const token = (await readFile(path.join(dataDir, "gitops", "hosted-token"), "utf8")).trim();
    expect(qs.stdout).not.toContain(token);
    expect(qs.stdout).toContain("git push");
    expect(qs.stderr()).toContain("app demo: Synced and Healthy");
    expect(await replicas("2")).toBe("2/2");
    const objects = await kubectl(["get", "deploy,svc,cm", "-l", "app.kubernetes.io/name=demo", "-o", "name"]);
    expect(objects.stdout.split("\n").filter(Boolean).sort()).toEqual(["configmap/demo-config", "deployment.apps/demo", "service/demo"]);
  });

  it("deploys a pushed replica count, and goes back on git revert + push", async () => {
    const cloned = await git(["clone", "-c", clone.config, clone.url, "demo"], work);
    expect(cloned.code, cloned.stderr).toBe(0);
    await git(["config", "user.name", "Quick Starter"]);
    await git(["config", "user.email", "qs@example.com"]);
    const values = path.join(work, "demo", "values.yaml");
    await writeFile(values, (await readFile(values, "utf8")).replace(/^replicaCount: .*$/m, "replicaCount: 4"));
    expect((await git(["commit", "-qam", "four replicas"])).code).toBe(0);
    const pushed = await git(["push", "-q"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(await replicas("4")).toBe("4/4");
    expect((await git(["revert", "--no-edit", "HEAD"])).code).toBe(0);
    expect((await git(["push", "-q"])).code).toBe(0);
    expect(await replicas("2")).toBe("2/2");
    const history = await runBerth(["app", "history", "demo", "-o", "json", "--kubeconfig", kubeconfig]);
    const entries: unknown = JSON.parse(history.stdout);
    expect(entries).toMatchObject([{ id: 1 }, { id: 2, message: "four replicas", author: "Quick Starter <qs@example.com>" }, { id: 3 }]);
  }, 120_000);

  it("refuses a push with a wrong token, and the branch stays where it was", async () => {
    const before = (await git(["rev-parse", "HEAD"])).stdout.trim();
    await git(["commit", "-q", "--allow-empty", "-m", "not allowed"]);
    const bad = clone.url.replace("http://", "http://berth:wrong-token@");
    const r = await git(["-c", "credential.helper=", "push", bad, "HEAD:main"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Authentication failed|401/);
    expect(r.stderr).not.toContain("wrong-token");
    const remote = await git(["ls-remote", "origin", "refs/heads/main"]);
    expect(remote.stdout.split("\t")[0]).toBe(before);
  });

  it("stops cleanly on Ctrl-C, and a second start reuses the data dir (--once exits after printing)", async () => {
    qs.child.kill("SIGINT");
    expect(await qs.exited).toBe(0);
    expect(qs.stderr()).toContain("stopped");
    const again = await runBerth(["quickstart", "--data-dir", dataDir, "--port", "0", "--git-port", "0", "--once"], { timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Ctrl-C stops everything");
    // Not re-seeded: the app still deploys the user's last push (2 replicas after the revert).
    expect(again.stderr).toContain("app demo: Synced and Healthy");
    expect(again.stderr).not.toMatch(/sync to [0-9a-f]{7} started/);
  }, 150_000);
});
