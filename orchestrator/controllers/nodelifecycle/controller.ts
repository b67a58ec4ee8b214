// The node lifecycle controller: per node, decide from its Lease whether the kubelet is still
// heard, mark a silent node's conditions Unknown, keep the not-ready / unreachable taints in
// step with its health, and evict pods that do not tolerate the NoExecute taint once their
// tolerationSeconds run out. It requeues each node for the moment its lease would go stale
// or its next pod eviction is due, so nothing polls.
import type { V1Lease, V1Node, V1Pod, V1Taint } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf, type Informer, type KubeClient } from "../../../kube/client/index.js";
import { recordEvent } from "../cronjob/events.js";
import { canonicalJson } from "../shared/hash.js";
import { millisOf, toWire } from "../job/time.js";
import { desiredTaints, evictionTime, nodeHealth, readyCondition, unknownConditions } from "./decide.js";

export interface NodeLifecycleOptions {
  client: KubeClient;
  clock: Clock;
  nodes: Informer;
  /** Leases in kube-node-lease, named after their nodes. */
  leases: Informer;
  pods: Informer;
  /** How long a node may stay silent before it is Unknown (default 40 s). */
  gracePeriodMs?: number;
  onError?: (message: string) => void;
}

const NODE = { apiVersion: "v1", kind: "Node" };

export function startNodeLifecycleController(options: NodeLifecycleOptions): RunningController {
  const controller = runController({
    clock: options.clock,
    workers: 2,
    reconcile: (key) => reconcileNode(options, key),
    onError: (f) => options.onError?.(`node lifecycle ${f.key}: ${String(f.error)}`),
  });
  const enqueue = (name: string | undefined) => {
    if (name) controller.queue.add(name);
  };
  options.nodes.addHandlers({ add: (n) => enqueue(n.metadata.name), update: (_o, n) => enqueue(n.metadata.name) });
  options.leases.addHandlers({ add: (l) => enqueue(l.metadata.name), update: (_o, l) => enqueue(l.metadata.name) });
  options.pods.addHandlers({ add: (p: V1Pod) => enqueue(p.spec?.nodeName), update: (_o, p: V1Pod) => enqueue(p.spec?.nodeName) });
  return controller;
}

function wire(value: unknown): string {
  return canonicalJson(toWire(value));
}

export async function reconcileNode(ctx: NodeLifecycleOptions, name: string): Promise<{ requeueAfter?: number }> {
  const node: V1Node | undefined = ctx.nodes.get(name);
  if (!node) return {};
  const now = ctx.clock.now();
  const lease: V1Lease | undefined = ctx.leases.get(`kube-node-lease/${name}`);
  const { health, staleAt } = nodeHealth({ node, leaseRenewedAt: millisOf(lease?.spec?.renewTime), now, gracePeriodMs: ctx.gracePeriodMs });
  if (health === "Unknown" && readyCondition(node)?.status !== "Unknown") {
    await ctx.client.patch({ ...NODE, name }, { status: { conditions: toWire(unknownConditions(node, now)) } }, { type: "merge", subresource: "status" });
    await recordEvent(ctx, { ...NODE, metadata: { name, uid: node.metadata?.uid, namespace: "default" } }, { type: "Normal", reason: "NodeNotReady", message: `Node ${name} status is now: NodeNotReady` });
  }
  const taints = desiredTaints(node, health, now);
  if (wire(node.spec?.taints ?? []) !== wire(taints)) {
    await ctx.client.patch({ ...NODE, name }, { spec: { taints: toWire(taints) } }, { type: "merge" });
  }
  const nextEviction = await evictPods(ctx, { name, taints: taints.filter((t) => t.effect === "NoExecute"), now });
  const waits = [staleAt, nextEviction].flatMap((t) => (t === undefined ? [] : [Math.max(1, t - now + 1)]));
  return waits.length > 0 ? { requeueAfter: Math.min(...waits) } : {};
}

/** Deletes pods whose toleration ran out; returns when the next one is due. */
async function evictPods(ctx: NodeLifecycleOptions, input: { name: string; taints: V1Taint[]; now: number }): Promise<number | undefined> {
  if (input.taints.length === 0) return undefined;
  let next: number | undefined;
  const all: V1Pod[] = ctx.pods.list();
  const pods = all.filter((p) => p.spec?.nodeName === input.name && !p.metadata?.deletionTimestamp);
  for (const pod of pods) {
    const decision = evictionTime(pod, input.taints, input.now);
    if ("never" in decision) continue;
    if (decision.evictAt > input.now) {
      next = Math.min(next ?? Infinity, decision.evictAt);
      continue;
    }
    try {
      await ctx.client.delete({ apiVersion: "v1", kind: "Pod", namespace: pod.metadata?.namespace, name: pod.metadata?.name ?? "" });
      await recordEvent(ctx, { apiVersion: "v1", kind: "Pod", metadata: pod.metadata }, { type: "Normal", reason: "TaintManagerEviction", message: `Marking for deletion Pod ${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? ""}` });
    } catch (err) {
      if (apiStatusOf(err)?.code !== 404) throw err;
    }
  }
  return next;
}
