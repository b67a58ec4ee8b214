// What a simulated node looks like in the API: the Node object (labels, capacity, pod CIDR,
// addresses, nodeInfo, conditions) and its heartbeat Lease. A node's own settings live in the
// `berth.dev/simulated-node` annotation, so the node set survives a cluster restart and any
// kubelet component can pick up every Node that carries it.
import { BerthError } from "../../core/errors.js";
import { formatBytes, formatMilliCPU, parseMilliQuantity, parseQuantity } from "./quantity.js";
import { isoSeconds } from "./status.js";
import type { Condition, Node } from "./types.js";

export const SIMULATED_NODE_ANNOTATION = "berth.dev/simulated-node";
export const NODE_LEASE_NAMESPACE = "kube-node-lease";
export const LEASE_DURATION_SECONDS = 40;
export const ZONES = ["zone-a", "zone-b", "zone-c"];
export const DEFAULT_CPU = "4";
export const DEFAULT_MEMORY = "8Gi";
export const DEFAULT_PODS = "110";
export const KUBELET_VERSION = "v1.32.0-berth";

/** A node name must be a DNS subdomain, as Kubernetes requires of Node names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class NodeSpecError extends BerthError {
  override readonly code: string = "NODE_INVALID";
  override readonly httpStatus = 422;
}

/** What `berth cluster nodes add` and `cluster up --nodes` decide about a node. */
export interface SimulatedNodeSpec {
  name: string;
  /** 1-based: picks the pod CIDR 10.244.N.0/24, the host IP and the zone. */
  index: number;
  cpu: string;
  memory: string;
  pods: string;
  labels: Record<string, string>;
}

export function validateNodeName(name: string): string {
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw new NodeSpecError(`invalid node name "${name}": must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`);
  }
  return name;
}

export function archLabel(): string {
  return process.arch === "x64" ? "amd64" : process.arch;
}

function octets(index: number): string {
  return `${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

export function podCidr(index: number): string {
  return `10.${244 + Math.floor(index / 256)}.${index % 256}.0/24`;
}

export function hostIp(index: number): string {
  return `172.18.${octets(index)}`;
}

export function zoneOf(index: number): string {
  return ZONES[(index - 1) % ZONES.length];
}

export function nodeSpecOf(node: Node): SimulatedNodeSpec | undefined {
  const raw = node.metadata.annotations?.[SIMULATED_NODE_ANNOTATION];
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const p: Record<string, unknown> = { ...parsed };
    if (typeof p.index !== "number" || typeof p.cpu !== "string" || typeof p.memory !== "string") return undefined;
    return { name: node.metadata.name ?? "", index: p.index, cpu: p.cpu, memory: p.memory, pods: typeof p.pods === "string" ? p.pods : DEFAULT_PODS, labels: {} };
  } catch {
    return undefined;
  }
}

function capacity(spec: SimulatedNodeSpec): Record<string, string> {
  return {
    cpu: formatMilliCPU(parseMilliQuantity(spec.cpu)),
    memory: formatBytes(parseQuantity(spec.memory)),
    pods: spec.pods,
    "ephemeral-storage": "100Gi",
  };
}

/** The Node object to create (status is written separately: create ignores it). */
export function buildNode(spec: SimulatedNodeSpec): Node {
  const settings = { index: spec.index, cpu: spec.cpu, memory: spec.memory, pods: spec.pods };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: spec.name,
      labels: {
        "kubernetes.io/hostname": spec.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": archLabel(),
        "beta.kubernetes.io/os": "linux",
        "beta.kubernetes.io/arch": archLabel(),
        "topology.kubernetes.io/zone": zoneOf(spec.index),
        ...spec.labels,
      },
      annotations: { [SIMULATED_NODE_ANNOTATION]: JSON.stringify(settings), "node.alpha.kubernetes.io/ttl": "0" },
    },
    spec: { podCIDR: podCidr(spec.index), podCIDRs: [podCidr(spec.index)] },
  };
}

function readyConditions(previous: Condition[] | undefined, now: number): Condition[] {
  const heartbeat = isoSeconds(now);
  const make = (type: string, status: string, reason: string, message: string): Condition => {
    const old = previous?.find((c) => c.type === type);
    const since = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : heartbeat;
    return { type, status, reason, message, lastHeartbeatTime: heartbeat, lastTransitionTime: since };
  };
  return [
    make("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    make("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    make("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    make("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
  ];
}

/** The status a healthy simulated node reports at `now`. */
export function nodeStatus(node: Node, spec: SimulatedNodeSpec, now: number): Node["status"] {
  const cap = capacity(spec);
  return {
    ...(node.status ?? {}),
    capacity: cap,
    allocatable: cap,
    conditions: readyConditions(node.status?.conditions, now),
    addresses: [
      { type: "InternalIP", address: hostIp(spec.index) },
      { type: "Hostname", address: spec.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: `berth-${spec.index}`,
      systemUUID: `berth-${spec.name}`,
      bootID: `berth-${spec.name}`,
      kernelVersion: "6.1.0-berth",
      osImage: "berth simulated node",
      containerRuntimeVersion: "berth://0.1.0",
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: "linux",
      architecture: archLabel(),
    },
    images: [],
  };
}

/** Lease renewTime is a MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function buildLease(node: { name: string; uid?: string }, now: number): Record<string, unknown> {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: node.name,
      namespace: NODE_LEASE_NAMESPACE,
      ownerReferences: node.uid ? [{ apiVersion: "v1", kind: "Node", name: node.name, uid: node.uid }] : undefined,
    },
    spec: { holderIdentity: node.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) },
  };
}
