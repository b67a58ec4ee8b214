// `berth cluster up / down`: flag binding and printing only; orchestrator/cluster does the work.
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import { registerNodeCommands } from "./clusterNodes.js";
import { untilSignal } from "../core/signals.js";

interface UpFlags {
  dataDir?: string;
  port: string;
  kubeconfig?: string;
  detach?: boolean;
  store: string;
  etcdEndpoints?: string;
  nodes: string;
  insecureHttp?: boolean;
}

function parseNodes(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--nodes: expected an integer from 0 to 5000, got "${value}"`);
  return Number(value);
}

async function printNodes(kubeconfig: string): Promise<void> {
  const [{ KubeConfig }, kubelet, { realClock }] = await Promise.all([import("@kubernetes/client-node"), import("../orchestrator/kubelet/index.js"), import("../core/clock.js")]);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  const rows = await kubelet.listNodes(kubelet.clientFor({ kubeConfig, clock: realClock }));
  for (const n of rows.filter((r) => r.simulated)) process.stdout.write(`node/${n.name} registered (${n.zone}, cpu ${n.cpu}, memory ${n.memory}, pods ${n.pods})\n`);
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--port: expected an integer from 0 to 65535, got "${value}"`);
  return Number(value);
}

function parseStore(value: string): "embedded" | "etcd" {
  if (value === "embedded" || value === "etcd") return value;
  throw new UsageError(`--store: expected embedded or etcd, got "${value}"`);
}

function printReady(url: string, kubeconfig: string): void {
  process.stdout.write(`berth cluster is running at ${url}\nexport KUBECONFIG=${kubeconfig}\n`);
}

async function up(flags: UpFlags, kubeconfigFlag: string | undefined): Promise<void> {
  const cluster = await import("../orchestrator/cluster/index.js");
  const dataDir = path.resolve(flags.dataDir ?? cluster.defaultDataDir());
  const port = cluster.validatePort(parsePort(flags.port));
  const nodes = cluster.validateNodeCount(parseNodes(flags.nodes));
  const store = parseStore(flags.store);
  const etcdEndpoints = cluster.parseEndpoints(flags.etcdEndpoints);
  const kubeconfig = kubeconfigFlag ? path.resolve(kubeconfigFlag) : undefined;
  if (flags.detach) {
    const args = ["--data-dir", dataDir, "--port", String(port), "--store", store, "--nodes", String(nodes)];
    if (kubeconfig) args.push("--kubeconfig", kubeconfig);
    if (flags.etcdEndpoints) args.push("--etcd-endpoints", flags.etcdEndpoints);
    if (flags.insecureHttp) args.push("--insecure-http");
    // Progress only on a terminal: scripts and tests expect stderr to hold errors alone.
    const tty = process.stderr.isTTY === true;
    if (tty) process.stderr.write(`Starting berth cluster in ${dataDir} `);
    const state = await cluster
      .startDetached({ dataDir, cliScript: process.argv[1], args, onProgress: () => tty && process.stderr.write(".") })
      .finally(() => tty && process.stderr.write("\n"));
    printReady(state.url, state.kubeconfig);
    await printNodes(state.kubeconfig);
    return;
  }
  const running = await cluster.startCluster({ dataDir, port, kubeconfig, store, etcdEndpoints, nodes, insecureHttp: flags.insecureHttp === true });
  printReady(running.url, running.kubeconfig);
  await printNodes(running.kubeconfig);
  await untilSignal();
  await running.stop();
  process.stdout.write("berth cluster stopped\n");
}

async function down(flags: { dataDir?: string }): Promise<void> {
  const cluster = await import("../orchestrator/cluster/index.js");
  const dataDir = path.resolve(flags.dataDir ?? cluster.defaultDataDir());
  const result = await cluster.stopCluster({ dataDir });
  process.stdout.write(result.killed ? `berth cluster (pid ${result.pid}) did not stop in time and was killed\n` : `berth cluster (pid ${result.pid}) stopped\n`);
}

export function registerClusterCommands(program: Command): void {
  const cluster = program.command("cluster").description("run the built-in Kubernetes-compatible cluster");
  cluster
    .command("up")
    .description("start the store and API server on 127.0.0.1 and write a kubeconfig")
    .option("--data-dir <dir>", "where the cluster keeps its data (default: $XDG_DATA_HOME/berth/cluster)")
    .option("--port <n>", "API server port (0: a free port)", "6443")
    .option("--detach", "run in the background and return once ready")
    .option("--store <kind>", "embedded or etcd", "embedded")
    .option("--etcd-endpoints <urls>", "comma-separated etcd client URLs (with --store etcd)")
    .option("--insecure-http", "serve plain HTTP on 127.0.0.1 with authentication and authorization off (default: HTTPS with the cluster's CA)")
    .option("--nodes <n>", "simulated nodes to register on a new cluster (a restart keeps the stored set)", "3")
    .action(async (flags: UpFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals<{ kubeconfig?: string }>();
      await up(flags, globals.kubeconfig);
    });
  cluster
    .command("down")
    .description("stop the cluster running on a data directory")
    .option("--data-dir <dir>", "the cluster's data directory (default: $XDG_DATA_HOME/berth/cluster)")
    .action(async (flags: { dataDir?: string }) => down(flags));
  registerNodeCommands(cluster);
}
