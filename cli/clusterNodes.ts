// `berth cluster nodes list | add | remove`: flag binding and printing only; the node set is
// managed by orchestrator/kubelet through the running cluster's API.
import path from "node:path";
import type { Command } from "commander";
import { globalOptions } from "./globals.js";
import { printList, type Column } from "./output.js";
import type { NodeRow } from "../orchestrator/kubelet/index.js";

interface NodesFlags {
  dataDir?: string;
}

interface AddFlags extends NodesFlags {
  cpu?: string;
  memory?: string;
  labels?: string;
}

function age(created: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(created)) / 1000));
  if (Number.isNaN(seconds)) return "<unknown>";
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

async function clientOf(flags: NodesFlags) {
  const cluster = await import("../orchestrator/cluster/index.js");
  return cluster.runningClusterClient(path.resolve(flags.dataDir ?? cluster.defaultDataDir()));
}

export function nodeColumns(now: number): Column<NodeRow>[] {
  return [
    { header: "name", value: (r) => r.name },
    { header: "status", value: (r) => r.status },
    { header: "zone", value: (r) => r.zone },
    { header: "cpu", value: (r) => r.cpu },
    { header: "memory", value: (r) => r.memory },
    { header: "pods", value: (r) => r.pods },
    { header: "age", value: (r) => age(r.created, now) },
  ];
}

export function registerNodeCommands(cluster: Command): void {
  const nodes = cluster.command("nodes").description("list, add and remove the simulated nodes of a running cluster");
  const dataDirFlag = "--data-dir <dir>";
  const dataDirHelp = "the cluster's data directory (default: $XDG_DATA_HOME/berth/cluster)";
  nodes
    .command("list")
    .description("list the cluster's nodes")
    .option(dataDirFlag, dataDirHelp)
    .action(async (flags: NodesFlags, cmd: Command) => {
      const format = globalOptions(cmd).output;
      const kubelet = await import("../orchestrator/kubelet/index.js");
      const rows = await kubelet.listNodes(await clientOf(flags));
      printList(rows, nodeColumns(Date.now()), format);
    });
  nodes
    .command("add [name]")
    .description("register a simulated node (default name: berth-node-N)")
    .option(dataDirFlag, dataDirHelp)
    .option("--cpu <quantity>", "CPU capacity, e.g. 4 or 1500m", "4")
    .option("--memory <quantity>", "memory capacity, e.g. 8Gi", "8Gi")
    .option("--labels <k=v,...>", "extra node labels")
    .action(async (name: string | undefined, flags: AddFlags) => {
      const kubelet = await import("../orchestrator/kubelet/index.js");
      const labels = kubelet.parseLabels(flags.labels);
      if (name !== undefined) kubelet.validateNodeName(name);
      if (flags.cpu !== undefined) kubelet.validateQuantity("--cpu", flags.cpu);
      if (flags.memory !== undefined) kubelet.validateQuantity("--memory", flags.memory);
      const spec = await kubelet.addNode(await clientOf(flags), { name, cpu: flags.cpu, memory: flags.memory, labels, now: Date.now() });
      process.stdout.write(`node/${spec.name} added (${kubelet.zoneOf(spec.index)}, cpu ${spec.cpu}, memory ${spec.memory})\n`);
    });
  nodes
    .command("remove <name>")
    .description("remove a node; its pods are left to the controllers")
    .option(dataDirFlag, dataDirHelp)
    .action(async (name: string, flags: NodesFlags) => {
      const kubelet = await import("../orchestrator/kubelet/index.js");
      kubelet.validateNodeName(name);
      await kubelet.removeNode(await clientOf(flags), name);
      process.stdout.write(`node/${name} removed\n`);
    });
}
