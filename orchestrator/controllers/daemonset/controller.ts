// The DaemonSet controller's I/O half: DaemonSet, pod and node events -> queue keys; a
// reconcile that claims pods, syncs revision history, asks planDaemonSet which pods to create
// and delete and performs that. Pods use generateName, so expectations guard against a lagging
// pod cache creating a second pod on a node.
import type { V1DaemonSet } from "@kubernetes/client-node";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { syncHistory } from "../controllerrevision/sync.js";
import { claimObjects } from "../shared/claim.js";
import { Expectations } from "../shared/expectations.js";
import { canonicalJson } from "../shared/hash.js";
import { selectorMatches } from "../shared/labels.js";
import { controllerRefOf, objectKey, splitKey } from "../shared/ownerRefs.js";
import { isTerminating, msUntilAvailable } from "../shared/pods.js";
import { deleteIgnoringMissing, errorLogger, minDelay, ownerKey, setOwnership, type ControllerContext } from "../shared/runtime.js";
import { planDaemonSet } from "./plan.js";

export function startDaemonSetController(ctx: ControllerContext): RunningController {
  const { daemonSets, pods, nodes } = ctx.informers;
  const expectations = new Expectations({ clock: ctx.clock });
  const controller = runController({
    clock: ctx.clock,
    workers: ctx.workers ?? 2,
    reconcile: (key) => syncDaemonSet(ctx, expectations, key),
    onError: errorLogger("daemonset", ctx.logger),
  });
  const enqueue = (key: string | undefined): void => {
    if (key !== undefined) controller.queue.add(key);
  };
  const enqueueAll = (): void => {
    for (const ds of daemonSets.list()) enqueue(objectKey(ds));
  };
  const podChanged = (pod: Parameters<typeof ownerKey>[0]): void => {
    const key = ownerKey(pod, "DaemonSet");
    if (key !== undefined) return enqueue(key);
    if (controllerRefOf(pod)) return;
    for (const ds of daemonSets.list(pod.metadata?.namespace)) if (selectorMatches(ds.spec?.selector, pod.metadata?.labels)) enqueue(objectKey(ds));
  };
  daemonSets.on({ add: (d) => enqueue(objectKey(d)), update: (_o, d) => enqueue(objectKey(d)), delete: (d) => enqueue(objectKey(d)) });
  pods.on({
    add: (p) => {
      const key = ownerKey(p, "DaemonSet");
      if (key !== undefined) expectations.creationObserved(key);
      podChanged(p);
    },
    update: (_o, p) => podChanged(p),
    delete: (p) => {
      const key = ownerKey(p, "DaemonSet");
      if (key !== undefined) expectations.deletionObserved(key, p.metadata?.name ?? "");
      podChanged(p);
    },
  });
  // Node labels, taints and membership decide where daemons run.
  nodes.on({ add: enqueueAll, update: (a, b) => (canonicalJson(a.metadata?.labels) !== canonicalJson(b.metadata?.labels) || canonicalJson(a.spec) !== canonicalJson(b.spec) ? enqueueAll() : undefined), delete: enqueueAll });
  return controller;
}

async function syncDaemonSet(ctx: ControllerContext, expectations: Expectations, key: string): Promise<{ requeueAfter?: number }> {
  const ds = ctx.informers.daemonSets.get(key);
  if (!ds) {
    expectations.forget(key);
    return {};
  }
  const { namespace } = splitKey(key);
  const claim = claimObjects(ctx.informers.pods.claimable({ uid: ds.metadata?.uid, namespace }), { ownerUid: ds.metadata?.uid ?? "", selector: ds.spec?.selector, ownerDeleting: isTerminating({ metadata: ds.metadata }) });
  const identity = { apiVersion: "apps/v1", kind: "DaemonSet", metadata: ds.metadata };
  await Promise.all([
    ...claim.adopt.map((p) => setOwnership(ctx.client, p, { adopt: identity })),
    ...claim.release.map((p) => setOwnership(ctx.client, p, { release: ds.metadata?.uid ?? "" })),
  ]);
  const pods = [...claim.owned, ...claim.adopt];
  const history = await syncHistory(ctx, { ...ds, apiVersion: "apps/v1", kind: "DaemonSet" }, pods);
  if (!history) return { requeueAfter: 1 };
  const revisionHash = history.update.name.slice((ds.metadata?.name ?? "").length + 1);
  const now = ctx.clock.now();
  const plan = planDaemonSet(ds, { nodes: ctx.informers.nodes.list(), pods, revisionHash, now });
  if (expectations.satisfied(key)) {
    expectations.expect(key, { adds: plan.createPods.length, deletes: plan.deletePods.map((p) => p.metadata?.name ?? "") });
    const created = await Promise.allSettled(plan.createPods.map((p) => ctx.client.create(p)));
    for (const r of created) if (r.status === "rejected") expectations.creationObserved(key);
    await Promise.all(
      plan.deletePods.map(async (p) => {
        if (!(await deleteIgnoringMissing(ctx.client, p))) expectations.deletionObserved(key, p.metadata?.name ?? "");
      }),
    );
    const failed = created.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  }
  await writeStatus(ctx, ds, plan.status);
  await history.prune();
  let requeueAfter: number | undefined;
  for (const p of pods) requeueAfter = minDelay(requeueAfter, msUntilAvailable(p, ds.spec?.minReadySeconds ?? 0, now));
  return { requeueAfter };
}

async function writeStatus(ctx: ControllerContext, ds: V1DaemonSet, status: V1DaemonSet["status"]): Promise<void> {
  if (canonicalJson(ds.status ?? {}) === canonicalJson(status ?? {})) return;
  await ctx.client.updateStatus({ ...ds, status });
}
