// Node lifecycle decisions as pure functions (after pkg/controller/nodelifecycle and its
// taint-eviction manager): whether a node's kubelet is still heard from, which taints and
// conditions that implies, and when each pod on a NoExecute-tainted node must go.
import type { V1Node, V1NodeCondition, V1Pod, V1Taint, V1Toleration } from "@kubernetes/client-node";
import { millisOf } from "../job/time.js";

export const NODE_GRACE_MS = 40_000;
export const UNREACHABLE = "node.kubernetes.io/unreachable";
export const NOT_READY = "node.kubernetes.io/not-ready";
const MANAGED_TAINTS = new Set([UNREACHABLE, NOT_READY]);
const KUBELET_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

export type Health = "Ready" | "NotReady" | "Unknown";

export interface HealthInput {
  node: V1Node;
  /** spec.renewTime of the node's Lease in kube-node-lease, if any. */
  leaseRenewedAt?: number;
  now: number;
  gracePeriodMs?: number;
}

export interface HealthResult {
  health: Health;
  /** When the node goes Unknown if nothing is heard (undefined once it is). */
  staleAt?: number;
}

export function readyCondition(node: V1Node): V1NodeCondition | undefined {
  return (node.status?.conditions ?? []).find((c) => c.type === "Ready");
}

/** The last time the kubelet was heard: its lease, its Ready heartbeat, else the node's creation. */
export function nodeHealth(input: HealthInput): HealthResult {
  const ready = readyCondition(input.node);
  const heard = Math.max(input.leaseRenewedAt ?? 0, millisOf(ready?.lastHeartbeatTime) ?? 0) || (millisOf(input.node.metadata?.creationTimestamp) ?? input.now);
  const staleAt = heard + (input.gracePeriodMs ?? NODE_GRACE_MS);
  if (input.now >= staleAt) return { health: "Unknown" };
  const health: Health = ready?.status === "True" ? "Ready" : ready?.status === "False" ? "NotReady" : "Unknown";
  return { health, staleAt };
}

/** The NoSchedule + NoExecute taints for a health, keeping timeAdded of those already there. */
export function desiredTaints(node: V1Node, health: Health, now: number): V1Taint[] {
  const current = node.spec?.taints ?? [];
  const others = current.filter((t) => !MANAGED_TAINTS.has(t.key));
  if (health === "Ready") return others;
  const key = health === "Unknown" ? UNREACHABLE : NOT_READY;
  const taint = (effect: string): V1Taint => {
    const existing = current.find((t) => t.key === key && t.effect === effect);
    return { key, effect, ...(effect === "NoExecute" ? { timeAdded: existing?.timeAdded ?? new Date(Math.floor(now / 1000) * 1000) } : {}) };
  };
  return [...others, taint("NoSchedule"), taint("NoExecute")];
}

/** Conditions set to Unknown when the kubelet stopped posting, as Kubernetes does. */
export function unknownConditions(node: V1Node, now: number): V1NodeCondition[] {
  const at = new Date(Math.floor(now / 1000) * 1000);
  const existing = node.status?.conditions ?? [];
  const byType = new Map(existing.map((c) => [c.type, c]));
  const out = existing.filter((c) => !KUBELET_CONDITIONS.includes(c.type));
  for (const type of KUBELET_CONDITIONS) {
    const c = byType.get(type);
    if (c?.status === "Unknown") {
      out.push(c);
      continue;
    }
    out.push({
      type,
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
      lastHeartbeatTime: c?.lastHeartbeatTime,
      lastTransitionTime: at,
    });
  }
  return out;
}

function tolerates(t: V1Toleration, taint: V1Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === "Exists") return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
}

export type Eviction = { evictAt: number } | { never: true };

/**
 * When a pod on a node with these NoExecute taints must be evicted (the taint manager's
 * rule): at once when some taint is not tolerated, else after the shortest tolerationSeconds
 * among the tolerations used, counted from when the taints were added; never when none is bounded.
 */
export function evictionTime(pod: V1Pod, taints: V1Taint[], now: number): Eviction {
  const noExecute = taints.filter((t) => t.effect === "NoExecute");
  if (noExecute.length === 0) return { never: true };
  const used: V1Toleration[] = [];
  for (const taint of noExecute) {
    const matching = (pod.spec?.tolerations ?? []).filter((t) => tolerates(t, taint));
    if (matching.length === 0) return { evictAt: now };
    used.push(...matching);
  }
  const seconds = used.flatMap((t) => (typeof t.tolerationSeconds === "number" ? [Math.max(0, t.tolerationSeconds)] : []));
  if (seconds.length === 0) return { never: true };
  const since = Math.min(...noExecute.map((t) => millisOf(t.timeAdded) ?? now));
  return { evictAt: since + Math.min(...seconds) * 1000 };
}
