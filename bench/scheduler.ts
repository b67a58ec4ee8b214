// `npm run bench -- scheduler`: how fast the built-in cluster places pods.
//   1. decisions alone: the default profile over a cache of N nodes, assuming each choice, no I/O
//   2. end to end: an in-process API server, N nodes created as objects, the scheduler component
//      (on its worker thread, as `berth cluster up` runs it);
//      pods created over HTTP (16 in flight) and timed from the first create to the last bound,
//      then pods created with no scheduler running and timed from its start to the last bound
//   3. a 10,000-replica Deployment on 1,000 simulated nodes with the real components (kubelet
//      sim, scheduler, workload controllers), timed until all Running or a 3-minute cap
// Each phase is bounded in count and time; figures are printed, never asserted.
// Flags: --only=decisions,e2e,deployment  --decisions=N  --nodes=N --replicas=N --cap-seconds=S
//        --progress-seconds=S (how often the Deployment phase prints pods / bound / Running)
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import { realClock } from "../core/clock.js";
import { Informer, type KubeClient, type Unstructured } from "../kube/client/index.js";
import { createApiServer, type ApiServer } from "../orchestrator/apiserver/server.js";
import { componentKubeConfig, COMPONENTS, type RunningComponents } from "../orchestrator/cluster/components.js";
import { startComponentsThreaded } from "../orchestrator/cluster/componentThread.js";
import { clientFor } from "../orchestrator/kubelet/index.js";
import { buildNode, DEFAULT_CPU, DEFAULT_MEMORY, DEFAULT_PODS, nodeStatus, type SimulatedNodeSpec } from "../orchestrator/kubelet/node.js";
import { isNode } from "../orchestrator/kubelet/types.js";
import { SchedulerCache } from "../orchestrator/scheduler/cache.js";
import { podEntry } from "../orchestrator/scheduler/entries.js";
import { defaultProfile, schedulePod } from "../orchestrator/scheduler/framework.js";
import { openEmbeddedStore } from "../orchestrator/store/embedded/index.js";
import type { Store } from "../orchestrator/store/types.js";

const CONCURRENCY = 16;
const NS = "default";
const DEPLOYMENT_CAP_MS = Number(argValue("cap-seconds") ?? 180) * 1000;
const PROGRESS_EVERY_S = Number(argValue("progress-seconds") ?? 15);

/** Components' warnings and errors on stderr (a stuck run says why); info is noise here. */
const quietLogger = { info: () => undefined, warn: (m: string) => process.stderr.write(`warning: ${m}\n`), error: (m: string) => process.stderr.write(`error: ${m}\n`) };

interface Row {
  phase: string;
  nodes: number;
  pods: number;
  seconds: number;
  note?: string;
}

function simulatedNode(index: number): { spec: SimulatedNodeSpec; node: Unstructured } {
  const spec: SimulatedNodeSpec = { name: `bench-node-${index}`, index, cpu: DEFAULT_CPU, memory: DEFAULT_MEMORY, pods: DEFAULT_PODS, labels: {} };
  const node = buildNode(spec);
  return { spec, node: { ...node, apiVersion: "v1", kind: "Node", metadata: { ...node.metadata, name: spec.name }, status: nodeStatus(node, spec, Date.now()) } };
}

function benchPod(i: number, prefix: string): Unstructured {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `${prefix}-${i}`, namespace: NS, labels: { app: "bench" } },
    spec: { containers: [{ name: "main", image: "nginx:1.25", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] },
  };
}

/** Runs op(0..count-1) with CONCURRENCY in flight. */
async function pool(count: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
}

async function createNodes(client: KubeClient, count: number): Promise<void> {
  await pool(count, async (i) => {
    const { node } = simulatedNode(i + 1);
    const created = await client.create(node);
    await client.updateStatus({ ...created, status: node.status });
  });
}

/** Phase 1: the profile's decisions over an in-memory cache; no API, no events. */
function decisionRate(nodes: number, pods: number): Row {
  const cache = new SchedulerCache();
  for (let i = 1; i <= nodes; i++) {
    const { node } = simulatedNode(i);
    if (isNode(node)) cache.setNode(node);
  }
  const profile = defaultProfile();
  let start = 0;
  const t0 = performance.now();
  for (let i = 0; i < pods; i++) {
    const pod: V1Pod = { ...benchPod(i, "decide"), metadata: { name: `decide-${i}`, namespace: NS, uid: `uid-${i}`, labels: { app: "bench" } } };
    const entry = podEntry(pod, {});
    const result = schedulePod(profile, entry, cache, { startIndex: start });
    start += result.evaluated;
    if (result.node === undefined) throw new Error(`decide-${i}: no node fits`);
    cache.assume(entry, result.node);
  }
  return { phase: "decisions (in-process)", nodes, pods, seconds: (performance.now() - t0) / 1000 };
}

interface Cluster {
  store: Store;
  server: ApiServer;
  url: string;
  client: KubeClient;
  close(): Promise<void>;
}

async function startApi(options: { dataDir?: string }): Promise<Cluster> {
  const store = await openEmbeddedStore(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = await createApiServer({ store });
  const url = await server.app.listen({ host: "127.0.0.1", port: 0 });
  const client = clientFor({ kubeConfig: componentKubeConfig(url), clock: realClock });
  return {
    store,
    server,
    url,
    client,
    async close() {
      await server.close();
      await store.close();
    },
  };
}

/** Counts pods matching `done` through a watch, resolving when `target` match or the cap passes. */
function watchPods(client: KubeClient, done: (pod: Unstructured) => boolean): { informer: Informer; matched: () => number; counts: () => { pods: number; bound: number }; until(target: number, capMs: number, onProgress?: (n: number) => void): Promise<number> } {
  const matched = new Set<string>();
  const informer = new Informer(client, { apiVersion: "v1", kind: "Pod" }, { allNamespaces: true });
  const track = (pod: Unstructured): void => {
    const key = `${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}`;
    if (done(pod)) matched.add(key);
    else matched.delete(key);
  };
  informer.addHandlers({ add: track, update: (_o, p) => track(p), delete: (p) => matched.delete(`${p.metadata.namespace ?? ""}/${p.metadata.name ?? ""}`) });
  return {
    informer,
    matched: () => matched.size,
    counts: () => {
      const pods = informer.list();
      return { pods: pods.length, bound: pods.filter(isBound).length };
    },
    async until(target, capMs, onProgress) {
      const t0 = performance.now();
      while (matched.size < target && performance.now() - t0 < capMs) {
        await new Promise((r) => setTimeout(r, 100));
        onProgress?.(matched.size);
      }
      return (performance.now() - t0) / 1000;
    },
  };
}

const isBound = (p: Unstructured): boolean => typeof p.spec === "object" && p.spec !== null && "nodeName" in p.spec && Boolean(p.spec.nodeName);

/** Phase 2: API server + scheduler component, N nodes as objects, pods created then bound. */
async function endToEnd(nodes: number, pods: number): Promise<Row[]> {
  const cluster = await startApi({});
  const schedulerOnly = COMPONENTS.filter((c) => c.name === "scheduler");
  let components: RunningComponents | undefined;
  try {
    await createNodes(cluster.client, nodes);
    components = await startComponentsThreaded({ url: cluster.url, clock: realClock, components: schedulerOnly });
    const bound = watchPods(cluster.client, isBound);
    await bound.informer.start();
    const t0 = performance.now();
    await pool(pods, (i) => cluster.client.create(benchPod(i, "e2e")));
    const createdAt = (performance.now() - t0) / 1000;
    await bound.until(pods, 120_000);
    const seconds = (performance.now() - t0) / 1000;
    const rows: Row[] = [
      { phase: "create pods (API only)", nodes, pods, seconds: createdAt, note: "while the scheduler binds" },
      { phase: "created → all bound", nodes, pods: bound.matched(), seconds, note: bound.matched() < pods ? `stopped at ${bound.matched()}/${pods}` : undefined },
    ];
    // The same pods again, created while no scheduler runs: the time from its start to the last
    // binding is the scheduler's own rate (decisions, binding and Scheduled events via the API).
    await components.stop();
    components = undefined;
    await pool(pods, (i) => cluster.client.create(benchPod(i, "pending")));
    const t1 = performance.now();
    components = await startComponentsThreaded({ url: cluster.url, clock: realClock, components: schedulerOnly });
    await bound.until(2 * pods, 120_000);
    const boundAgain = bound.matched() - pods;
    rows.push({ phase: "pending → all bound", nodes, pods: boundAgain, seconds: (performance.now() - t1) / 1000, note: boundAgain < pods ? `stopped at ${boundAgain}/${pods}` : "scheduler start to last bind" });
    bound.informer.stop();
    return rows;
  } finally {
    await components?.stop();
    await cluster.close();
  }
}

/** Phase 3: a Deployment on simulated nodes with the real components. */
async function deployment(nodes: number, replicas: number): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "berth-bench-sched-"));
  const cluster = await startApi({ dataDir: dir });
  const wanted = new Set(["kubelet", "scheduler", "workload-controllers"]);
  let components: RunningComponents | undefined;
  try {
    await createNodes(cluster.client, nodes);
    // On a worker thread when compiled, as `berth cluster up` runs them (componentThread.ts).
    components = await startComponentsThreaded({ url: cluster.url, clock: realClock, dataDir: dir, logger: quietLogger, components: COMPONENTS.filter((c) => wanted.has(c.name)) });
    const running = watchPods(cluster.client, (p) => typeof p.status === "object" && p.status !== null && "phase" in p.status && p.status.phase === "Running");
    await running.informer.start();
    const milestones = [1_000, 5_000, replicas].filter((m) => m <= replicas);
    const reached = new Map<number, number>();
    const t0 = performance.now();
    await cluster.client.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "bench", namespace: NS },
      spec: {
        replicas,
        selector: { matchLabels: { app: "bench" } },
        template: { metadata: { labels: { app: "bench" } }, spec: { containers: [{ name: "main", image: "nginx:1.25", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] } },
      },
    });
    let lastPrint = 0;
    await running.until(replicas, DEPLOYMENT_CAP_MS, (n) => {
      const at = (performance.now() - t0) / 1000;
      for (const m of milestones) if (n >= m && !reached.has(m)) reached.set(m, at);
      if (at - lastPrint >= PROGRESS_EVERY_S) {
        lastPrint = at;
        const { pods, bound } = running.counts();
        process.stderr.write(`  ${at.toFixed(0)} s: ${pods} pods, ${bound} bound, ${n} Running\n`);
      }
    });
    const final = running.matched();
    running.informer.stop();
    const rows: Row[] = milestones.filter((m) => reached.has(m)).map((m) => ({ phase: `Deployment → ${m} Running`, nodes, pods: m, seconds: reached.get(m) ?? 0 }));
    if (final < replicas) rows.push({ phase: "Deployment (capped)", nodes, pods: final, seconds: DEPLOYMENT_CAP_MS / 1000, note: `${final}/${replicas} Running at the cap` });
    return rows;
  } finally {
    await components?.stop();
    await cluster.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [r.phase, String(r.nodes), String(r.pods), r.seconds.toFixed(2), (r.pods / r.seconds).toFixed(0), r.note ?? ""]);
  const header = ["PHASE", "NODES", "PODS", "SECONDS", "PODS/S", "NOTE"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  for (const c of [header, ...cells]) process.stdout.write(c.map((v, i) => (i === 0 || i === 5 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("   ").trimEnd() + "\n");
}

function argValue(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function parseArgs(argv: string[]): { phases: Set<string> } {
  const only = argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  return { phases: new Set((only ?? "decisions,e2e,deployment").split(",")) };
}

async function main(): Promise<void> {
  const { phases } = parseArgs(process.argv.slice(2));
  const rows: Row[] = [];
  const log = (m: string): boolean => process.stderr.write(`${m}\n`);
  if (phases.has("decisions")) {
    for (const nodes of [1_000, 5_000]) rows.push(decisionRate(nodes, Number(argValue("decisions") ?? 5_000)));
  }
  if (phases.has("e2e")) {
    for (const nodes of [1_000, 5_000]) {
      log(`end to end on ${nodes} nodes…`);
      rows.push(...(await endToEnd(nodes, 5_000)));
    }
  }
  if (phases.has("deployment")) {
    const nodes = Number(argValue("nodes") ?? 1_000);
    const replicas = Number(argValue("replicas") ?? 10_000);
    log(`${replicas}-replica Deployment on ${nodes} simulated nodes…`);
    rows.push(...(await deployment(nodes, replicas)));
  }
  printTable(rows);
}

main().catch((err: unknown) => {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
