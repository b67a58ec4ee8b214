// `npm run bench -- release`: on a built-in cluster started in this process (3 simulated
// nodes, scheduler, controllers), the time to install a 100-object chart until every object is
// ready; a no-op upgrade (same chart, same values): its time and how many API writes it makes,
// split into writes to the chart's objects (the goal is zero) and to release records (a new
// revision is recorded, as Helm does); and `berth list` with 1,000 releases, in process (with
// the API list and the old decode-everything path beside it) and as the CLI a user runs. Printed, never asserted. Helm is not installed here, so no anchor runs.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { chartFromFiles } from "../charts/loader/index.js";
import { realClock } from "../core/clock.js";
import type { ApiRequest, Transport } from "../kube/client/transport.js";
import { startCluster } from "../orchestrator/cluster/up.js";
import { InstallAction } from "../release/actions/install.js";
import { listReleases } from "../release/actions/query.js";
import { UpgradeAction } from "../release/actions/upgrade.js";
import type { ActionContext } from "../release/context.js";
import { connectKubeTarget } from "../release/kubeTarget.js";
import { SecretsReleaseStorage } from "../release/storage/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RELEASES = 1000;

/** 10 Deployments (2 replicas each), 10 Services, 80 ConfigMaps: 100 objects. */
function benchChartFiles(): { path: string; data: Buffer }[] {
  const files: Record<string, string> = {
    "Chart.yaml": "apiVersion: v2\nname: bench\nversion: 1.0.0\n",
    "values.yaml": "replicas: 2\n",
    "templates/apps.yaml": [
      "{{#each (until 10)}}",
      "---",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:\n  name: {{@root.Release.Name}}-app-{{this}}",
      "spec:",
      "  replicas: {{@root.Values.replicas}}",
      "  selector:\n    matchLabels:\n      app: {{@root.Release.Name}}-app-{{this}}",
      "  template:",
      "    metadata:\n      labels:\n        app: {{@root.Release.Name}}-app-{{this}}",
      "    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          ports: [{containerPort: 80}]",
      "---",
      "apiVersion: v1",
      "kind: Service",
      "metadata:\n  name: {{@root.Release.Name}}-app-{{this}}",
      "spec:\n  selector:\n    app: {{@root.Release.Name}}-app-{{this}}\n  ports: [{port: 80}]",
      "{{/each}}",
      "",
    ].join("\n"),
    "templates/config.yaml": [
      "{{#each (until 80)}}",
      "---",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:\n  name: {{@root.Release.Name}}-config-{{this}}",
      "data:\n  index: {{quote this}}",
      "{{/each}}",
      "",
    ].join("\n"),
  };
  return Object.entries(files).map(([p, text]) => ({ path: p, data: Buffer.from(text) }));
}

interface WriteTally {
  objects: number;
  records: number;
}

/** Wraps the client's transport to count non-GET requests by what they touch. */
function tallyWrites(transport: Transport): WriteTally {
  const tally: WriteTally = { objects: 0, records: 0 };
  const original = transport.json.bind(transport);
  transport.json = (req: ApiRequest) => {
    if (req.method !== "GET") {
      if (/\/secrets(\/|$|\?)/.test(req.path)) tally.records++;
      else tally.objects++;
    }
    return original(req);
  };
  return tally;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "berth-bench-release-"));
  const cluster = await startCluster({ dataDir, port: 0, nodes: 3 });
  try {
    const { target } = await connectKubeTarget({ kubeconfig: cluster.kubeconfig, clock: realClock });
    const ctx: ActionContext = { storage: new SecretsReleaseStorage(target.secrets), target, clock: realClock };
    const chart = await chartFromFiles(benchChartFiles(), { source: "bench", label: "bench" });
    const base = { chart, namespace: "default", wait: true, timeoutMs: 5 * 60_000 };

    process.stderr.write("installing a 100-object chart and waiting for it...\n");
    const install = await timed(() => new InstallAction(ctx, { ...base, releaseName: "big" }).run());
    const tally = tallyWrites(target.client.transport);
    const noop = await timed(() => new UpgradeAction(ctx, { ...base, releaseName: "big" }).run());
    const noopWrites = { ...tally };

    const record = install.value.release;
    const seeded = await timed(async () => {
      for (let i = 0; i < RELEASES - 1; i += 50) {
        const batch = Array.from({ length: Math.min(50, RELEASES - 1 - i) }, (_, j) => i + j);
        await Promise.all(batch.map((n) => ctx.storage.create({ ...record, name: `rel-${String(n).padStart(4, "0")}`, version: 1, storageVersion: undefined })));
      }
    });
    process.stderr.write(`seeded ${RELEASES - 1} release records in ${seeded.ms.toFixed(0)} ms\n`);
    // Where list time goes: the API list of every record Secret, decoding every payload (what
    // list did before summaries), and list from labels + annotations (what it does now).
    const rawList = await timed(() => target.client.list({ apiVersion: "v1", kind: "Secret" }, { allNamespaces: true, labelSelector: "owner=berth" }));
    const decodeAll = await timed(() => ctx.storage.list({}));
    const listed = await timed(() => listReleases(ctx.storage, {}));
    const cli = path.join(ROOT, "dist/bin/berth.js");
    // Asynchronous: the cluster serving the CLI runs in this very process.
    const run = promisify(execFile);
    const startup = await timed(() => run(process.execPath, [cli, "--version"]));
    const cliList = await timed(() => run(process.execPath, [cli, "list", "-A", "--kubeconfig", cluster.kubeconfig]));
    const cliAgain = await timed(() => run(process.execPath, [cli, "list", "-A", "--kubeconfig", cluster.kubeconfig]));
    const cliEmpty = await timed(() => run(process.execPath, [cli, "list", "-n", "empty", "--kubeconfig", cluster.kubeconfig]));

    const rows = [
      ["install 100 objects, --wait until ready", `${install.ms.toFixed(0)} ms`, ""],
      ["no-op upgrade, --wait", `${noop.ms.toFixed(0)} ms`, `${noopWrites.objects} object writes, ${noopWrites.records} release-record writes`],
      [`  API list of ${RELEASES} record Secrets`, `${rawList.ms.toFixed(0)} ms`, `${(JSON.stringify(rawList.value.items).length / 1e6).toFixed(1)} MB of JSON`],
      [`  decode every record (list before)`, `${decodeAll.ms.toFixed(0)} ms`, "API list + gunzip + JSON per record"],
      [`list -A, ${RELEASES} releases (in process)`, `${listed.ms.toFixed(0)} ms`, `${listed.value.length} listed, from labels + annotations`],
      [`berth list -A, ${RELEASES} releases (CLI)`, `${cliList.ms.toFixed(0)} ms`, `then ${cliAgain.ms.toFixed(0)} ms; includes node start-up`],
      ["berth list -n empty (CLI, no releases)", `${cliEmpty.ms.toFixed(0)} ms`, "start-up + kube client + one list"],
      ["berth --version (start-up alone)", `${startup.ms.toFixed(0)} ms`, ""],
    ];
    process.stdout.write(`${"measure".padEnd(44)}${"time".padEnd(11)}notes\n`);
    for (const r of rows) process.stdout.write(`${r[0].padEnd(44)}${r[1].padEnd(11)}${r[2]}\n`);
  } finally {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
