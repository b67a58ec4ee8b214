// The StatefulSet controller's I/O half: events -> queue keys; a reconcile that claims pods,
// syncs revision history, asks planStatefulSet for the next step and performs it. Pod names
// are fixed, so a lagging cache only causes an AlreadyExists / NotFound, which is ignored.
import type { V1StatefulSet } from "@kubernetes/client-node";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf, type KubeObject } from "../../../kube/client/index.js";
import { syncHistory } from "../controllerrevision/sync.js";
import { claimObjects } from "../shared/claim.js";
import { canonicalJson } from "../shared/hash.js";
import { selectorMatches } from "../shared/labels.js";
import { controllerRefOf, objectKey, splitKey } from "../shared/ownerRefs.js";
import { isTerminating } from "../shared/pods.js";
import { deleteIgnoringMissing, errorLogger, ownerKey, setOwnership, type ControllerContext } from "../shared/runtime.js";
import { planStatefulSet } from "./plan.js";

export function startStatefulSetController(ctx: ControllerContext): RunningController {
  const { statefulSets, pods, revisions } = ctx.informers;
  const controller = runController({
    clock: ctx.clock,
    workers: ctx.workers ?? 2,
    reconcile: (key) => syncStatefulSet(ctx, key),
    onError: errorLogger("statefulset", ctx.logger),
  });
  const enqueue = (key: string | undefined): void => {
    if (key !== undefined) controller.queue.add(key);
  };
  const owned = (obj: Parameters<typeof ownerKey>[0]): void => {
    const key = ownerKey(obj, "StatefulSet");
    if (key !== undefined) return enqueue(key);
    if (controllerRefOf(obj)) return;
    for (const s of statefulSets.list(obj.metadata?.namespace)) if (selectorMatches(s.spec?.selector, obj.metadata?.labels)) enqueue(objectKey(s));
  };
  statefulSets.on({ add: (s) => enqueue(objectKey(s)), update: (_o, s) => enqueue(objectKey(s)), delete: (s) => enqueue(objectKey(s)) });
  pods.on({ add: owned, update: (_o, p) => owned(p), delete: owned });
  revisions.on({ add: owned, delete: owned });
  return controller;
}

async function createIgnoringExisting(ctx: ControllerContext, obj: KubeObject): Promise<void> {
  try {
    await ctx.client.create(obj);
  } catch (err) {
    if (apiStatusOf(err)?.reason !== "AlreadyExists") throw err;
  }
}

async function syncStatefulSet(ctx: ControllerContext, key: string): Promise<{ requeueAfter?: number }> {
  const set = ctx.informers.statefulSets.get(key);
  if (!set) return {};
  const { namespace } = splitKey(key);
  const claim = claimObjects(ctx.informers.pods.claimable({ uid: set.metadata?.uid, namespace }), { ownerUid: set.metadata?.uid ?? "", selector: set.spec?.selector, ownerDeleting: isTerminating({ metadata: set.metadata }) });
  const identity = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: set.metadata };
  await Promise.all([
    ...claim.adopt.map((p) => setOwnership(ctx.client, p, { adopt: identity })),
    ...claim.release.map((p) => setOwnership(ctx.client, p, { release: set.metadata?.uid ?? "" })),
  ]);
  const pods = [...claim.owned, ...claim.adopt];
  const history = await syncHistory(ctx, { ...set, apiVersion: "apps/v1", kind: "StatefulSet" }, pods);
  if (!history) return { requeueAfter: 1 };
  const claims = new Set(ctx.informers.claims.list(namespace).map((c) => c.metadata?.name ?? ""));
  const plan = planStatefulSet(set, { pods, claims, currentRevision: history.current, updateRevision: history.update, now: ctx.clock.now() });
  // Claims before the pod that mounts them, as the real controller does.
  for (const c of plan.createClaims) await createIgnoringExisting(ctx, c);
  await Promise.all(plan.createPods.map((p) => createIgnoringExisting(ctx, p)));
  await Promise.all(plan.deletePods.map((p) => deleteIgnoringMissing(ctx.client, p)));
  await Promise.all(plan.deleteClaims.map((name) => deleteIgnoringMissing(ctx.client, { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace } })));
  await writeStatus(ctx, set, plan.status);
  await history.prune();
  return {};
}

async function writeStatus(ctx: ControllerContext, set: V1StatefulSet, status: V1StatefulSet["status"]): Promise<void> {
  if (canonicalJson(set.status ?? {}) === canonicalJson(status ?? {})) return;
  await ctx.client.updateStatus({ ...set, status });
}
