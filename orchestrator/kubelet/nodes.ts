// The node set of the built-in cluster, managed through the API: `cluster up --nodes N` seeds
// it on a fresh cluster, `berth cluster nodes add / remove / list` change and show it. Nodes
// are Node objects carrying the berth.dev/simulated-node annotation; the kubelet component
// runs whatever is stored, so the set survives restarts.
import { ConflictError, NotFoundError, UsageError } from "../../core/errors.js";
import type { KubeClient } from "../../kube/client/index.js";
import { buildNode, DEFAULT_CPU, DEFAULT_MEMORY, DEFAULT_PODS, nodeSpecOf, nodeStatus, validateNodeName, zoneOf, type SimulatedNodeSpec } from "./node.js";
import { isQuantity } from "./quantity.js";
import { isNode, type Node } from "./types.js";

const NODE = { apiVersion: "v1", kind: "Node" };
export const NODE_NAME_PREFIX = "berth-node-";

export interface AddNodeOptions {
  /** Default: berth-node-N with the lowest free N. */
  name?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  /** For the initial status; the kubelet keeps it current. */
  now: number;
}

export interface NodeRow {
  name: string;
  status: string;
  zone: string;
  cpu: string;
  memory: string;
  pods: string;
  created: string;
  simulated: boolean;
}

async function allNodes(client: KubeClient): Promise<Node[]> {
  const list = await client.list(NODE);
  return list.items.filter(isNode);
}

export function validateQuantity(flag: string, value: string): string {
  if (!isQuantity(value) || value.trim().startsWith("-")) throw new UsageError(`${flag}: invalid quantity "${value}" (expected e.g. 2, 500m, 8Gi)`);
  return value.trim();
}

export function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of (text ?? "").split(",").filter((p) => p.trim() !== "")) {
    const match = /^([A-Za-z0-9][-A-Za-z0-9_./]*)=([-A-Za-z0-9_.]*)$/.exec(part.trim());
    if (!match) throw new UsageError(`--labels: expected KEY=VALUE[,KEY=VALUE…], got "${part}"`);
    labels[match[1]] = match[2];
  }
  return labels;
}

/** Registers one simulated node; the running kubelet component starts heartbeating it. */
export async function addNode(client: KubeClient, options: AddNodeOptions): Promise<SimulatedNodeSpec> {
  const cpu = validateQuantity("--cpu", options.cpu ?? DEFAULT_CPU);
  const memory = validateQuantity("--memory", options.memory ?? DEFAULT_MEMORY);
  const existing = await allNodes(client);
  const indexes = new Set(existing.map((n) => nodeSpecOf(n)?.index).filter((i): i is number => i !== undefined));
  const names = new Set(existing.map((n) => n.metadata.name));
  let index = 1;
  while (indexes.has(index) || (!options.name && names.has(`${NODE_NAME_PREFIX}${index}`))) index++;
  const name = validateNodeName(options.name ?? `${NODE_NAME_PREFIX}${index}`);
  if (names.has(name)) throw new UsageError(`node "${name}" already exists`);
  const spec: SimulatedNodeSpec = { name, index, cpu, memory, pods: DEFAULT_PODS, labels: options.labels ?? {} };
  const created = await client.create(buildNode(spec));
  // A running kubelet may post the status first; then there is nothing left to do.
  if (isNode(created)) await client.updateStatus({ ...created, status: nodeStatus(created, spec, options.now) }).catch((err: unknown) => {
    if (!(err instanceof ConflictError)) throw err;
  });
  return spec;
}

export async function removeNode(client: KubeClient, name: string): Promise<void> {
  validateNodeName(name);
  const node = await client.tryGet({ ...NODE, name });
  if (!node) throw new NotFoundError(`node "${name}" not found`);
  await client.delete({ ...NODE, name });
}

/** On a cluster without simulated nodes, registers `count` of them; returns the simulated set. */
export async function seedNodes(client: KubeClient, options: { count: number; now: number }): Promise<NodeRow[]> {
  const existing = (await allNodes(client)).filter((n) => nodeSpecOf(n));
  if (existing.length === 0) for (let i = 0; i < options.count; i++) await addNode(client, { now: options.now });
  return (await listNodes(client)).filter((n) => n.simulated);
}

export async function listNodes(client: KubeClient): Promise<NodeRow[]> {
  const nodes = await allNodes(client);
  return nodes
    .map((n) => {
      const ready = n.status?.conditions?.find((c) => c.type === "Ready")?.status;
      const spec = nodeSpecOf(n);
      return {
        name: n.metadata.name ?? "",
        status: (ready === "True" ? "Ready" : "NotReady") + (n.spec?.unschedulable ? ",SchedulingDisabled" : ""),
        zone: n.metadata.labels?.["topology.kubernetes.io/zone"] ?? (spec ? zoneOf(spec.index) : ""),
        cpu: n.status?.capacity?.cpu ?? "",
        memory: n.status?.capacity?.memory ?? "",
        pods: n.status?.capacity?.pods ?? "",
        created: n.metadata.creationTimestamp ?? "",
        simulated: spec !== undefined,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
}
