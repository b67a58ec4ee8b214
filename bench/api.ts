// `npm run bench -- api`: API requests/s, p50 / p99 latency and the API server's CPU time per
// request, over real HTTP on loopback, against an API server on a durable embedded store in a
// temp dir. The load runs in a child process, as real clients do, so the server's CPU figure
// is its own (less skewed by other load on the machine than requests/s). Each phase is bounded
// in count and time so the whole run stays around a minute.
import { fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApiServer } from "../orchestrator/apiserver/server.js";
import { openEmbeddedStore } from "../orchestrator/store/embedded/index.js";
import { runPhase, type Phase } from "./lib/load.js";

const CONCURRENCY = 16;
const PODS = 1_000;
const LEASES = 100;
const PHASE_MS = 6_000;
const NS = "bench";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
const METADATA = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

type ClientMessage = { start: string } | { end: Phase };

function request(base: URL, agent: http.Agent, method: string, urlPath: string, options: { body?: { type: string; data: string }; accept?: string } = {}): Promise<number> {
  const headers: Record<string, string> = options.body ? { "content-type": options.body.type } : {};
  if (options.accept) headers.accept = options.accept;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path: urlPath, method, agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(options.body?.data);
  });
}

function pod(i: number): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `pod-${i}`, namespace: NS, labels: { app: "bench", shard: String(i % 10) } },
    spec: { containers: [{ name: "main", image: "nginx:1.25", ports: [{ containerPort: 80 }], env: [{ name: "INDEX", value: String(i) }] }] },
  });
}

/** What a kubelet PUTs to pods/status: the pod with a status whose Ready condition flips each round. */
function podStatus(i: number, round: number): string {
  const ready = round % 2 === 0 ? "True" : "False";
  const time = new Date(Date.UTC(2025, 0, 1, 0, 0, round % 60)).toISOString().replace(".000Z", "Z");
  const obj = JSON.parse(pod(i)) as Record<string, unknown>;
  obj.status = {
    phase: "Running",
    hostIP: "10.0.0.1",
    podIP: `10.1.${Math.floor(i / 250)}.${i % 250}`,
    startTime: "2025-01-01T00:00:00Z",
    conditions: [
      { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: "2025-01-01T00:00:00Z" },
      { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: "2025-01-01T00:00:00Z" },
      { type: "ContainersReady", status: ready, lastProbeTime: null, lastTransitionTime: time },
      { type: "Ready", status: ready, lastProbeTime: null, lastTransitionTime: time },
    ],
    containerStatuses: [{ name: "main", image: "nginx:1.25", imageID: "docker.io/library/nginx@sha256:0", containerID: `containerd://${i}`, ready: ready === "True", restartCount: 0, started: true, state: { running: { startedAt: "2025-01-01T00:00:00Z" } } }],
    qosClass: "BestEffort",
  };
  return JSON.stringify(obj);
}

function lease(i: number, round: number): string {
  const renew = new Date(Date.UTC(2025, 0, 1) + round * 1000).toISOString().replace("Z", "000Z");
  return JSON.stringify({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: `node-${i}`, namespace: NS },
    spec: { holderIdentity: `node-${i}`, leaseDurationSeconds: 40, renewTime: renew },
  });
}

/** The load generator (child process): runs each phase and reports it to the parent. */
async function runClient(url: string, writesOnly: boolean): Promise<void> {
  const base = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const send = (m: ClientMessage) => process.send?.(m);
  const phase = async (name: string, options: { limit?: number; maxMs: number }, op: (i: number) => Promise<number>) => {
    send({ start: name });
    send({ end: await runPhase(name, { concurrency: CONCURRENCY, ...options }, op) });
  };
  const json = (data: string) => ({ type: "application/json", data });
  const pods = `/api/v1/namespaces/${NS}/pods`;
  let created = 0;
  await phase("create pod", { limit: PODS, maxMs: 30_000 }, async (i) => {
    const code = await request(base, agent, "POST", pods, { body: json(pod(i)) });
    created++;
    return code;
  });
  await phase("bind pod", { limit: created, maxMs: 30_000 }, (i) =>
    request(base, agent, "POST", `${pods}/pod-${i}/binding`, { body: json(JSON.stringify({ apiVersion: "v1", kind: "Binding", metadata: { name: `pod-${i}` }, target: { kind: "Node", name: `node-${i % 10}` } })) }),
  );
  await phase("update pod status (PUT)", { maxMs: PHASE_MS }, (i) => request(base, agent, "PUT", `${pods}/pod-${i % created}/status`, { body: json(podStatus(i % created, Math.floor(i / created))) }));
  const leases = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;
  await phase("create lease", { limit: LEASES, maxMs: 30_000 }, (i) => request(base, agent, "POST", leases, { body: json(lease(i, 0)) }));
  await phase("update lease (PUT)", { maxMs: PHASE_MS }, (i) => request(base, agent, "PUT", `${leases}/node-${i % LEASES}`, { body: json(lease(i % LEASES, 1 + Math.floor(i / LEASES))) }));
  if (!writesOnly) {
    await phase("get pod", { maxMs: PHASE_MS }, (i) => request(base, agent, "GET", `${pods}/pod-${i % created}`));
    await phase(`list ${created} pods`, { maxMs: PHASE_MS }, () => request(base, agent, "GET", pods));
    await phase(`list ${created} pods (metadata only)`, { maxMs: PHASE_MS }, () => request(base, agent, "GET", pods, { accept: METADATA }));
    await phase(`list ${created} pods (Table)`, { maxMs: PHASE_MS }, () => request(base, agent, "GET", pods, { accept: TABLE }));
    await phase(`list pods shard=3 of ${created}`, { maxMs: PHASE_MS }, () => request(base, agent, "GET", `${pods}?labelSelector=shard%3D3`));
  }
  await phase("patch pod (merge)", { maxMs: PHASE_MS }, (i) =>
    request(base, agent, "PATCH", `${pods}/pod-${i % created}`, { body: { type: "application/merge-patch+json", data: JSON.stringify({ metadata: { labels: { round: String(i) } } }) } }),
  );
  agent.destroy();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function printTable(rows: { phase: Phase; cpuMs: number }[]): void {
  const cells = rows.map(({ phase: p, cpuMs }) => {
    const sorted = [...p.latencies].sort((a, b) => a - b);
    return [p.name, String(p.count), (p.count / p.seconds).toFixed(0), percentile(sorted, 50).toFixed(2), percentile(sorted, 99).toFixed(2), (cpuMs / Math.max(1, p.count)).toFixed(3)];
  });
  const header = ["OPERATION", "REQUESTS", "REQ/S", "P50 MS", "P99 MS", "SERVER CPU MS/REQ"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  for (const r of [header, ...cells]) process.stdout.write(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ") + "\n");
}

/** Runs the client child against url; records this process's CPU time over each phase. */
function drive(url: string, writesOnly: boolean): Promise<{ phase: Phase; cpuMs: number }[]> {
  return new Promise((resolve, reject) => {
    const rows: { phase: Phase; cpuMs: number }[] = [];
    let cpu = process.cpuUsage();
    const child = fork(fileURLToPath(import.meta.url), ["--client", url, ...(writesOnly ? ["--writes"] : [])], { stdio: "inherit" });
    child.on("message", (m: ClientMessage) => {
      if ("start" in m) cpu = process.cpuUsage();
      else {
        const used = process.cpuUsage(cpu);
        rows.push({ phase: m.end, cpuMs: (used.user + used.system) / 1000 });
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(rows) : reject(new Error(`load generator exited with ${code}`))));
  });
}

/** `--writes` runs only the write phases (create, bind, status PUT, lease PUT, merge patch). */
async function main(writesOnly: boolean): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "berth-bench-api-"));
  const store = await openEmbeddedStore({ dataDir: dir });
  const server = await createApiServer({ store });
  try {
    const url = await server.app.listen({ host: "127.0.0.1", port: 0 });
    const ns = await server.app.inject({ method: "POST", url: "/api/v1/namespaces", payload: { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } } });
    if (ns.statusCode !== 201) throw new Error(`creating namespace ${NS}: HTTP ${ns.statusCode}`);
    process.stdout.write(`berth API server on ${url}, embedded store (durable) in ${dir}, ${CONCURRENCY} requests in flight from a client process\n\n`);
    printTable(await drive(url, writesOnly));
  } finally {
    await server.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const run = process.argv[2] === "--client" ? runClient(process.argv[3] ?? "", process.argv[4] === "--writes") : main(process.argv.includes("--writes"));
run.catch((err: unknown) => {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
