// Pod garbage collection (model: kube-controller-manager's PodGC). Two kinds of keys share one
// work queue:
//   "sweep"        every periodMs (and at once when an unbound pod starts terminating): delete
//                  terminated pods beyond the threshold, oldest first; force-delete terminating
//                  pods that were never bound; queue every node that bound pods name but the
//                  cache does not know.
//   "node/NAME"    reached only after quarantineMs on the Clock: if the node is still gone (the
//                  cache and a live GET agree), force-delete (grace 0) every pod bound to it,
//                  terminating ones included, each first patched to phase Failed with a
//                  DisruptionTarget condition (reason DeletionByPodGC). Their owners then create replacements and the
//                  scheduler places them on nodes that exist: "removing a node moves its pods".
// The quarantine covers a node deleted and re-registered under the same name, and a pod seen
// bound before the node informer caught up; the live GET covers a stale cache. Nothing is
// remembered between reconciles: a restart re-discovers orphans from the pod cache.
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf, type Informer, type KubeClient } from "../../../kube/client/index.js";
import { isPod, type Condition, type Pod } from "../../kubelet/types.js";
import { DEFAULT_TERMINATED_THRESHOLD, excessTerminated, missingNodes, podsBoundTo, podsOf, unscheduledTerminating } from "./decide.js";
import { failedStatusPatch, NODE_GONE_CONDITION } from "./markFailed.js";

export interface PodGCOptions {
  client: KubeClient;
  clock: Clock;
  pods: Informer;
  nodes: Informer;
  /** Terminated pods kept cluster-wide before the oldest go (default 12,500, as Kubernetes). */
  terminatedThreshold?: number;
  /**
   * How long a node must stay missing before its pods go (default 5 s). Kubernetes waits 40 s
   * because its check trusts a cache; here a live GET confirms, so a short wait suffices.
   */
  quarantineMs?: number;
  /** Sweep period (default 20 s, kube-controller-manager's gcCheckPeriod). */
  periodMs?: number;
  onError?: (message: string) => void;
}

export const SWEEP_KEY = "sweep";
const NODE_PREFIX = "node/";
const POD = { apiVersion: "v1", kind: "Pod" };
const NODE = { apiVersion: "v1", kind: "Node" };
/** kube-controller-manager's PodGC field manager. */
const FIELD_MANAGER = "PodGC";

export function startPodGCController(options: PodGCOptions): RunningController {
  const quarantineMs = options.quarantineMs ?? 5_000;
  const controller = runController({
    clock: options.clock,
    workers: 2,
    reconcile: (key) => (key.startsWith(NODE_PREFIX) ? reconcileMissingNode(options, key.slice(NODE_PREFIX.length)) : sweep(options, quarantineMs, controller)),
    onError: (f) => options.onError?.(`pod gc ${f.key}: ${String(f.error)}`),
  });
  const queueNode = (name: string): void => controller.queue.addAfter(`${NODE_PREFIX}${name}`, quarantineMs);
  options.nodes.addHandlers({ delete: (n) => (n.metadata?.name ? queueNode(n.metadata.name) : undefined) });
  const onPod = (obj: unknown): void => {
    if (!isPod(obj)) return;
    const node = obj.spec.nodeName;
    if (node && !options.nodes.get(node)) queueNode(node);
    if (!node && obj.metadata.deletionTimestamp !== undefined) controller.queue.add(SWEEP_KEY);
  };
  options.pods.addHandlers({ add: onPod, update: (_old, obj) => onPod(obj) });
  controller.queue.add(SWEEP_KEY);
  return controller;
}

async function ignoreNotFound(op: Promise<unknown>): Promise<void> {
  try {
    await op;
  } catch (err) {
    if (apiStatusOf(err)?.code !== 404) throw err;
  }
}

/** Terminated pods beyond the threshold are only deleted: they are Failed or Succeeded already. */
async function forceDelete(client: KubeClient, pod: Pod): Promise<void> {
  await ignoreNotFound(client.delete({ ...POD, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "" }, { gracePeriodSeconds: 0 }));
}

/** markFailedAndDeletePodWithCondition: a pod not yet terminal is patched to Failed first. */
async function markFailedAndDelete(ctx: PodGCOptions, pod: Pod, condition?: Readonly<Condition>): Promise<void> {
  const patch = failedStatusPatch(pod, { now: ctx.clock.now(), condition });
  const ref = { ...POD, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "" };
  if (patch) await ignoreNotFound(ctx.client.patch(ref, patch, { type: "strategic", subresource: "status", fieldManager: FIELD_MANAGER }));
  await forceDelete(ctx.client, pod);
}

async function sweep(ctx: PodGCOptions, quarantineMs: number, controller: RunningController): Promise<{ requeueAfter: number }> {
  const pods = podsOf(ctx.pods.list());
  for (const pod of excessTerminated(pods, ctx.terminatedThreshold ?? DEFAULT_TERMINATED_THRESHOLD)) await forceDelete(ctx.client, pod);
  for (const pod of unscheduledTerminating(pods)) await markFailedAndDelete(ctx, pod);
  for (const node of missingNodes(pods, (name) => ctx.nodes.get(name) !== undefined)) controller.queue.addAfter(`${NODE_PREFIX}${node}`, quarantineMs);
  return { requeueAfter: ctx.periodMs ?? 20_000 };
}

export async function reconcileMissingNode(ctx: PodGCOptions, name: string): Promise<Record<string, never>> {
  if (ctx.nodes.get(name) !== undefined) return {};
  if ((await ctx.client.tryGet({ ...NODE, name })) !== undefined) return {};
  for (const pod of podsBoundTo(podsOf(ctx.pods.list()), name)) await markFailedAndDelete(ctx, pod, NODE_GONE_CONDITION);
  return {};
}
