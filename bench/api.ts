// `npm run bench -- api`: API requests/s and p50 / p99 latency over real HTTP on loopback,
// against an in-process API server on a durable embedded store in a temp dir. Each phase is
// bounded in count and time so the whole run stays well under a minute.
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createApiServer } from "../orchestrator/apiserver/server.js";
import { openEmbeddedStore } from "../orchestrator/store/embedded/index.js";
import { runPhase, type Phase } from "./lib/load.js";

const CONCURRENCY = 16;
const PODS = 1_000;
const PHASE_MS = 6_000;
const NS = "bench";

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
const METADATA = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

function request(base: URL, method: string, urlPath: string, body?: { type: string; data: string }, accept?: string): Promise<number> {
  const headers: Record<string, string> = body ? { "content-type": body.type } : {};
  if (accept) headers.accept = accept;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path: urlPath, method, agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body?.data);
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

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function printTable(phases: Phase[]): void {
  const rows = phases.map((p) => {
    const sorted = [...p.latencies].sort((a, b) => a - b);
    return [p.name, String(p.count), (p.count / p.seconds).toFixed(0), percentile(sorted, 50).toFixed(2), percentile(sorted, 99).toFixed(2)];
  });
  const header = ["OPERATION", "REQUESTS", "REQ/S", "P50 MS", "P99 MS"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows]) process.stdout.write(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ") + "\n");
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "berth-bench-api-"));
  const store = await openEmbeddedStore({ dataDir: dir });
  const server = await createApiServer({ store });
  try {
    const url = await server.app.listen({ host: "127.0.0.1", port: 0 });
    const base = new URL(url);
    const json = (data: string) => ({ type: "application/json", data });
    await request(base, "POST", "/api/v1/namespaces", json(JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } })));
    process.stdout.write(`berth API server on ${url}, embedded store (durable) in ${dir}, ${CONCURRENCY} requests in flight\n\n`);
    const phases: Phase[] = [];
    phases.push(await runPhase("create pod", { concurrency: CONCURRENCY, limit: PODS, maxMs: 30_000 }, (i) => request(base, "POST", `/api/v1/namespaces/${NS}/pods`, json(pod(i)))));
    const created = phases[0].count;
    phases.push(await runPhase("get pod", { concurrency: CONCURRENCY, maxMs: PHASE_MS }, (i) => request(base, "GET", `/api/v1/namespaces/${NS}/pods/pod-${i % created}`)));
    const pods = `/api/v1/namespaces/${NS}/pods`;
    phases.push(await runPhase(`list ${created} pods`, { concurrency: CONCURRENCY, maxMs: PHASE_MS }, () => request(base, "GET", pods)));
    phases.push(await runPhase(`list ${created} pods (metadata only)`, { concurrency: CONCURRENCY, maxMs: PHASE_MS }, () => request(base, "GET", pods, undefined, METADATA)));
    phases.push(await runPhase(`list ${created} pods (Table)`, { concurrency: CONCURRENCY, maxMs: PHASE_MS }, () => request(base, "GET", pods, undefined, TABLE)));
    phases.push(await runPhase(`list pods shard=3 of ${created}`, { concurrency: CONCURRENCY, maxMs: PHASE_MS }, () => request(base, "GET", `${pods}?labelSelector=shard%3D3`)));
    phases.push(await runPhase("patch pod (merge)", { concurrency: CONCURRENCY, maxMs: PHASE_MS }, (i) =>
      request(base, "PATCH", `/api/v1/namespaces/${NS}/pods/pod-${i % created}`, { type: "application/merge-patch+json", data: JSON.stringify({ metadata: { labels: { round: String(i) } } }) }),
    ));
    printTable(phases);
  } finally {
    agent.destroy();
    await server.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
