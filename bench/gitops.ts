// `npm run bench -- gitops [--apps N] [--pushes N]`: GitOps latency and scale, printed, never
// asserted. The cluster runs in its own process (`berth cluster up --detach`); the controller
// runs in this one (startControllerStack, as `berth controller run` does), so the memory
// figures are the controller's (plus this small driver).
//  1. push-to-applied and push-to-Running for a 10-object app (Deployment of 2 + Service + 8
//     ConfigMaps), median of N pushes, via a hosted push over HTTP and via a signed webhook
//     (the commit lands on disk first, so only the webhook can announce it).
//  2. N small apps (one ConfigMap each, 10 repositories × N/10 paths): time until all are
//     Synced, and the process's RSS / heap. Gives up after 3 minutes and prints what it reached.
//  3. A refresh round of those N synced apps (every app reconciled once, nothing to sync): its
//     time and the controller's API reads (its own client, so the driver's reads do not count).
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createApp, listApps } from "../controller/actions/app.js";
import { createHostedRepo } from "../controller/hosted/index.js";
import { startControllerStack, type ControllerStack } from "../controller/stack.js";
import { createKubeClient, Informer, type KubeClient, type Unstructured } from "../kube/client/index.js";

const execFileAsync = promisify(execFile);
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/berth.js");
const SECRET = "bench-secret";
const GIVE_UP_MS = 180_000;
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "b@x", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "b@x" };

async function git(args: string[], cwd: string): Promise<string> {
  return (await execFileAsync("git", args, { cwd, env: GIT_ENV })).stdout;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
}

const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : "n/a");
const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MiB`;

/** The 10-object chart; `rev` goes into a ConfigMap and the pod template (so pods roll). */
function tenObjectChart(rev: number): Record<string, string> {
  const cms = Array.from({ length: 8 }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lat-cm-${i}\ndata:\n  rev: "${i === 0 ? "{{Values.rev}}" : "fixed"}"\n`).join("");
  return {
    "Chart.yaml": "apiVersion: v2\nname: lat\nversion: 0.1.0\n",
    "values.yaml": `rev: ${rev}\n`,
    "templates/cms.yaml": cms,
    "templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: lat\nspec:\n  selector: { app: lat }\n  ports: [{ port: 80 }]\n",
    "templates/deploy.yaml": [
      "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: lat", "spec:", "  replicas: 2",
      "  selector:", "    matchLabels: { app: lat }", "  template:", "    metadata:", "      labels: { app: lat }",
      '      annotations: { rev: "{{Values.rev}}" }', "    spec:", "      containers: [{ name: web, image: nginx }]", "",
    ].join("\n"),
  };
}

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

/** Resolves when `done(object)` holds for an object the informer sees (checked on every event). */
function waitFor(informer: Informer, done: (o: Unstructured) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const check = (o: Unstructured): void => {
      if (done(o)) resolve(performance.now());
    };
    for (const o of informer.list()) check(o);
    informer.addHandlers({ add: check, update: (_b, a) => check(a) });
  });
}

function rolledOut(rev: number): (o: Unstructured) => boolean {
  return (o) => {
    if (o.kind !== "Deployment") return false;
    const spec = JSON.stringify(o.spec ?? {});
    const st: unknown = o.status;
    if (!spec.includes(`"rev":"${rev}"`) || typeof st !== "object" || st === null) return false;
    const n = (k: string): number => (k in st && typeof Reflect.get(st, k) === "number" ? Number(Reflect.get(st, k)) : 0);
    return n("updatedReplicas") === 2 && n("readyReplicas") === 2 && n("replicas") === 2 && n("observedGeneration") >= (o.metadata.generation ?? 0);
  };
}

interface Latency {
  applied: number[];
  running: number[];
}

async function measureLatency(client: KubeClient, stack: ControllerStack, work: string, pushes: number): Promise<{ push: Latency; webhook: Latency }> {
  const seed = path.join(work, "lat-seed");
  await writeTree(seed, tenObjectChart(0));
  await createHostedRepo(stack.hostedRoot, "lat", { seedDir: seed });
  const remote = `${stack.url}/git/lat.git`;
  await createApp({ client, namespace: "default", name: "lat", repoURL: remote, revision: "main", autoSync: true, prune: true, pollInterval: "1h" });
  const cms = new Informer(client, { apiVersion: "v1", kind: "ConfigMap" }, { namespace: "default" });
  const deploys = new Informer(client, { apiVersion: "apps/v1", kind: "Deployment" }, { namespace: "default" });
  await Promise.all([cms.start(), deploys.start()]);
  await waitFor(deploys, rolledOut(0));
  const clone = path.join(work, "lat");
  await git(["clone", "-q", "-c", `credential.helper=store --file=${stack.credentialsFile}`, remote, clone], work);
  const disk = path.join(work, "lat-disk");
  await git(["clone", "-q", path.join(stack.hostedRoot, "lat.git"), disk], work);
  const result: { push: Latency; webhook: Latency } = { push: { applied: [], running: [] }, webhook: { applied: [], running: [] } };
  let rev = 0;
  for (let i = 0; i < pushes * 2; i++) {
    rev++;
    const viaWebhook = i % 2 === 1;
    const dir = viaWebhook ? disk : clone;
    await git(["pull", "-q", "--rebase"], dir);
    await writeFile(path.join(dir, "values.yaml"), `rev: ${rev}\n`);
    await git(["commit", "-qam", `rev ${rev}`], dir);
    const applied = waitFor(cms, (o) => o.metadata.name === "lat-cm-0" && JSON.stringify(o.data) === `{"rev":"${rev}"}`);
    const running = waitFor(deploys, rolledOut(rev));
    let t0: number;
    if (viaWebhook) {
      await git(["push", "-q", "origin", "main"], dir);
      t0 = performance.now();
      await signedWebhook(stack.url, remote);
    } else {
      t0 = performance.now();
      await git(["push", "-q"], dir);
    }
    const target = viaWebhook ? result.webhook : result.push;
    target.applied.push((await applied) - t0);
    target.running.push((await running) - t0);
  }
  cms.stop();
  deploys.stop();
  return result;
}

async function signedWebhook(base: string, repoURL: string): Promise<void> {
  const body = JSON.stringify({ ref: "refs/heads/main", repository: { clone_url: repoURL } });
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const res = await fetch(`${base}/api/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature }, body });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
}

interface ScaleResult {
  apps: number;
  createMs: number;
  synced: number;
  syncedMs: number;
  rss: number;
  heap: number;
  peakRss: number;
}

async function measureScale(client: KubeClient, stack: ControllerStack, work: string, count: number): Promise<ScaleResult> {
  const repos = 10;
  const perRepo = Math.ceil(count / repos);
  for (let r = 0; r < repos; r++) {
    const files: Record<string, string> = {};
    for (let p = 0; p < perRepo; p++) {
      files[`apps/app-${p}/cm.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scale-${r}-${p}\ndata:\n  n: "${p}"\n`;
    }
    const seed = path.join(work, `scale-seed-${r}`);
    await writeTree(seed, files);
    await createHostedRepo(stack.hostedRoot, `scale-${r}`, { seedDir: seed });
  }
  const started = performance.now();
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const names: { name: string; repo: number; p: number }[] = [];
  for (let i = 0; i < count; i++) names.push({ name: `scale-${i % repos}-${Math.floor(i / repos)}`, repo: i % repos, p: Math.floor(i / repos) });
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(names.slice(i, i + 25).map((n) =>
      createApp({ client, namespace: "bench", name: n.name, repoURL: `${stack.url}/git/scale-${n.repo}.git`, revision: "main", path: `apps/app-${n.p}`, destNamespace: "default", autoSync: true, pollInterval: "1h" }),
    ));
  }
  const createMs = performance.now() - started;
  let synced = 0;
  while (performance.now() - started < GIVE_UP_MS) {
    const apps = await listApps({ client, namespace: "bench" });
    synced = apps.filter((a) => a.status.sync.status === "Synced").length;
    process.stderr.write(`\r${synced}/${count} apps synced after ${((performance.now() - started) / 1000).toFixed(1)} s   `);
    if (synced >= count) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  process.stderr.write("\n");
  clearInterval(sample);
  const syncedMs = performance.now() - started;
  const mem = process.memoryUsage();
  return { apps: count, createMs, synced, syncedMs, rss: mem.rss, heap: mem.heapUsed, peakRss: Math.max(peakRss, mem.rss) };
}

async function reconcileCount(stack: ControllerStack): Promise<number> {
  const values = (await stack.controller.metrics.reconciles.get()).values;
  return values.reduce((sum, v) => sum + v.value, 0);
}

/** Asks for a reconcile of every app and waits until that many more have run. */
async function measureRefreshRound(controllerClient: KubeClient, stack: ControllerStack): Promise<{ apps: number; ms: number; reads: number; writes: number }> {
  const keys = stack.controller.appKeys().filter((k) => k.startsWith("bench/"));
  const before = await reconcileCount(stack);
  const counts = controllerClient.transport.requestCounts();
  const started = performance.now();
  for (const key of keys) stack.controller.refresh(key);
  while ((await reconcileCount(stack)) < before + keys.length && performance.now() - started < GIVE_UP_MS) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const elapsed = performance.now() - started;
  const after = controllerClient.transport.requestCounts();
  return { apps: keys.length, ms: elapsed, reads: after.reads - counts.reads, writes: after.writes - counts.writes };
}

async function startClusterProcess(dataDir: string): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [CLI, "cluster", "up", "--detach", "--data-dir", dataDir, "--port", "0", "--nodes", "3"]);
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(stdout)?.[1];
  if (!kubeconfig) throw new Error(`cluster up printed no kubeconfig: ${stdout}`);
  return kubeconfig;
}

async function main(): Promise<void> {
  const count = arg("--apps", 1000);
  const pushes = arg("--pushes", 5);
  const work = await mkdtemp(path.join(tmpdir(), "berth-bench-gitops-"));
  const clusterDir = path.join(work, "cluster");
  const kubeconfig = await startClusterProcess(clusterDir);
  const client = createKubeClient({ kubeconfig });
  await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } });
  const controllerClient = createKubeClient({ kubeconfig });
  const stack = await startControllerStack({ client: controllerClient, dataDir: path.join(work, "gitops"), port: 0, webhookSecret: SECRET, log: () => undefined });
  try {
    const lat = await measureLatency(client, stack, work, pushes);
    process.stdout.write(`\n10-object app, median of ${pushes} pushes        applied      Running\n`);
    process.stdout.write(`  hosted push (git push over HTTP)   ${ms(median(lat.push.applied)).padStart(10)}   ${ms(median(lat.push.running)).padStart(10)}\n`);
    process.stdout.write(`  webhook (signed GitHub push)       ${ms(median(lat.webhook.applied)).padStart(10)}   ${ms(median(lat.webhook.running)).padStart(10)}\n`);
    const scale = await measureScale(client, stack, work, count);
    process.stdout.write(`\n${scale.apps} apps (one ConfigMap each, 10 repositories), one controller\n`);
    process.stdout.write(`  created in                         ${ms(scale.createMs).padStart(10)}\n`);
    process.stdout.write(`  ${scale.synced}/${scale.apps} Synced after${" ".repeat(Math.max(1, 22 - String(scale.synced).length - String(scale.apps).length))}${ms(scale.syncedMs).padStart(10)}${scale.synced < scale.apps ? "  (gave up)" : ""}\n`);
    process.stdout.write(`  controller process memory          RSS ${mib(scale.rss)} (peak ${mib(scale.peakRss)}), heap ${mib(scale.heap)}\n`);
    const round = await measureRefreshRound(controllerClient, stack);
    process.stdout.write(`  refresh round of ${round.apps} apps          ${ms(round.ms).padStart(10)}   ${round.reads} API reads (${(round.reads / Math.max(1, round.apps)).toFixed(2)} per app), ${round.writes} writes\n`);
  } finally {
    await stack.stop();
    await execFileAsync(process.execPath, [CLI, "cluster", "down", "--data-dir", clusterDir]).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

// Exit explicitly: keep-alive sockets of the API client outlive the benchmark's last await.
main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
