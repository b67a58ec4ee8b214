// One builder for scheduler tests: nodes and pods with options, and a cache snapshot holding
// them (pods with nodeName are assigned to their node).
import type { V1Affinity, V1Node, V1Pod, V1Taint, V1Toleration, V1TopologySpreadConstraint, V1Volume } from "@kubernetes/client-node";
import { SchedulerCache } from "../../../orchestrator/scheduler/cache.js";
import { podEntry } from "../../../orchestrator/scheduler/entries.js";
import type { PodEntry } from "../../../orchestrator/scheduler/types.js";

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: V1Taint[];
  unschedulable?: boolean;
  ready?: "True" | "False" | "Unknown";
  zone?: string;
}

export function node(name: string, o: NodeOptions = {}): V1Node {
  const labels = { "kubernetes.io/hostname": name, ...(o.zone ? { "topology.kubernetes.io/zone": o.zone } : {}), ...o.labels };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: o.cpu ?? "4", memory: o.memory ?? "8Gi", pods: o.pods ?? "110" },
      ...(o.ready ? { conditions: [{ type: "Ready", status: o.ready }] } : {}),
    },
  };
}

export interface PodOptions {
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  affinity?: V1Affinity;
  priority?: number;
  hostPort?: number;
  hostIP?: string;
  spread?: V1TopologySpreadConstraint[];
  volumes?: V1Volume[];
  created?: string;
  terminating?: boolean;
}

export function pod(name: string, o: PodOptions = {}): V1Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: o.namespace ?? "default",
      labels: o.labels ?? {},
      ...(o.created ? { creationTimestamp: new Date(o.created) } : {}),
      ...(o.terminating ? { deletionTimestamp: new Date("2025-01-01T00:00:00Z") } : {}),
    },
    spec: {
      containers: [
        {
          name: "app",
          image: "nginx",
          resources: { requests },
          ...(o.hostPort ? { ports: [{ containerPort: 80, hostPort: o.hostPort, ...(o.hostIP ? { hostIP: o.hostIP } : {}) }] } : {}),
        },
      ],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.spread ? { topologySpreadConstraints: o.spread } : {}),
      ...(o.volumes ? { volumes: o.volumes } : {}),
    },
  };
}

export function entry(p: V1Pod): PodEntry {
  return podEntry(p);
}

export function cacheOf(nodes: V1Node[], pods: V1Pod[] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const p of pods) if (p.spec?.nodeName) cache.setAssignedPod(podEntry(p), p.spec.nodeName);
  return cache;
}
