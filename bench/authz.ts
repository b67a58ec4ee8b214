// `npm run bench -- authz`: API request latency and throughput (get and list) with TLS + authn
// + RBAC + audit on, versus plain HTTP with auth off, in one run on the same machine; then
// RBAC decisions per second with 10,000 role bindings (bench/authzDecisions.ts).
// The secure client is a plain user (CN=bench-user) bound to `view`, so every request takes
// RBAC's full path rather than the system:masters shortcut.
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { realClock } from "../core/clock.js";
import { createApiServer, type ApiServer } from "../orchestrator/apiserver/server.js";
import { ADMIN_IDENTITY } from "../orchestrator/auth/identities.js";
import { issueClientCert } from "../orchestrator/auth/pki/certs.js";
import { prepareSecurity, type ClusterSecurity } from "../orchestrator/cluster/security.js";
import { serveHttps, type Serving } from "../orchestrator/cluster/serve.js";
import { openEmbeddedStore } from "../orchestrator/store/embedded/index.js";
import { formatAuthzFigures, measureAuthzDecisions } from "./authzDecisions.js";
import { runPhase, type Phase } from "./lib/load.js";

const CONCURRENCY = 16;
const PODS = 200;
const PHASE_MS = 4_000;
const NS = "bench";

type Send = (method: string, urlPath: string, body?: string) => Promise<number>;

function sender(url: string, agent: http.Agent): Send {
  const base = new URL(url);
  const request = base.protocol === "https:" ? https.request : http.request;
  return (method, urlPath, body) =>
    new Promise((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, path: urlPath, method, agent, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body);
    });
}

async function seed(send: Send): Promise<void> {
  await send("POST", "/api/v1/namespaces", JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }));
  for (let i = 0; i < PODS; i++) {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: `pod-${i}`, namespace: NS, labels: { shard: String(i % 10) } }, spec: { containers: [{ name: "main", image: "nginx:1.25" }] } };
    const code = await send("POST", `/api/v1/namespaces/${NS}/pods`, JSON.stringify(pod));
    if (code !== 201) throw new Error(`seeding pod-${i}: HTTP ${code}`);
  }
}

async function measure(label: string, send: Send): Promise<Phase[]> {
  return [
    await runPhase(`${label}: get pod`, { concurrency: CONCURRENCY, maxMs: PHASE_MS }, (i) => send("GET", `/api/v1/namespaces/${NS}/pods/pod-${i % PODS}`)),
    await runPhase(`${label}: list ${PODS / 10} pods`, { concurrency: CONCURRENCY, maxMs: PHASE_MS }, () => send("GET", `/api/v1/namespaces/${NS}/pods?labelSelector=shard%3D1`)),
  ];
}

interface Target {
  url: string;
  server: ApiServer;
  serving?: Serving;
  security?: ClusterSecurity;
}

async function secureTarget(dir: string): Promise<{ target: Target; admin: https.Agent; user: https.Agent }> {
  const security = await prepareSecurity({ dataDir: dir, clock: realClock });
  const store = await openEmbeddedStore({ dataDir: path.join(dir, "store") });
  const server = await createApiServer({ store, security: security.plugin });
  const { ca, serving: servingPair } = security.pki;
  const serving = await serveHttps(server.app, { host: "127.0.0.1", port: 0, tls: { certPem: servingPair.certPem, keyPem: servingPair.keyPem, caPem: ca.certPem } });
  const agentFor = async (subject: typeof ADMIN_IDENTITY): Promise<https.Agent> => {
    const pair = await issueClientCert(ca, subject, { now: Date.now(), validDays: 1 });
    return new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: ca.certPem, cert: pair.certPem, key: pair.keyPem });
  };
  const target = { url: `https://127.0.0.1:${serving.port}`, server, serving, security };
  return { target, admin: await agentFor(ADMIN_IDENTITY), user: await agentFor({ commonName: "bench-user", organizations: ["bench"] }) };
}

function printTable(phases: Phase[]): void {
  const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const rows = phases.map((p) => {
    const sorted = [...p.latencies].sort((a, b) => a - b);
    return [p.name, String(p.count), (p.count / p.seconds).toFixed(0), pct(sorted, 50).toFixed(2), pct(sorted, 99).toFixed(2)];
  });
  const header = ["OPERATION", "REQUESTS", "REQ/S", "P50 MS", "P99 MS"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  for (const r of [header, ...rows]) process.stdout.write(r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("   ") + "\n");
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "berth-bench-authz-"));
  const plainStore = await openEmbeddedStore({ dataDir: path.join(dir, "plain") });
  const plain = await createApiServer({ store: plainStore });
  const plainAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const secure = await secureTarget(path.join(dir, "secure"));
  try {
    const plainSend = sender(await plain.app.listen({ host: "127.0.0.1", port: 0 }), plainAgent);
    const adminSend = sender(secure.target.url, secure.admin);
    await seed(plainSend);
    await seed(adminSend);
    const binding = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "bench-view", namespace: NS }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "User", name: "bench-user", apiGroup: "rbac.authorization.k8s.io" }] };
    await adminSend("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, JSON.stringify(binding));
    process.stdout.write(`API latency, ${CONCURRENCY} requests in flight, ${PHASE_MS / 1000} s per phase, embedded store in ${dir}\n\n`);
    const phases = [...(await measure("plain HTTP, auth off", plainSend)), ...(await measure("TLS + x509 + RBAC + audit", sender(secure.target.url, secure.user)))];
    printTable(phases);
  } finally {
    for (const a of [plainAgent, secure.admin, secure.user]) a.destroy();
    await secure.target.serving?.close();
    await secure.target.server.close();
    await secure.target.security?.close();
    await plain.close();
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${formatAuthzFigures(await measureAuthzDecisions())}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
