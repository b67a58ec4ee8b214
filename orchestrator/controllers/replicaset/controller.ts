// The ReplicaSet controller's I/O half: events -> queue keys, and a reconcile that reads the
// caches, asks planReplicaSet what to do and does it through the API. Expectations keep a
// lagging pod informer from causing double creates or deletes.
import type { V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { Expectations } from "../shared/expectations.js";
import { selectorMatches } from "../shared/labels.js";
import { controllerRefOf, objectKey, splitKey } from "../shared/ownerRefs.js";
import { podFromTemplate } from "../shared/pods.js";
import { newControllerRef } from "../shared/ownerRefs.js";
import { deleteIgnoringMissing, errorLogger, ownerKey, setOwnership, type ControllerContext } from "../shared/runtime.js";
import { planReplicaSet, replicaSetStatusEqual } from "./plan.js";

/**
 * Pod events reach a ReplicaSet's sync after this long, so a burst of pod status changes costs
 * one sync, not one each (Kubernetes batches Endpoints updates the same way). A sync walks
 * every pod the set owns: 10,000 pods turning Ready one by one made that quadratic.
 */
export const POD_EVENT_BATCH_MS = 100;

export function startReplicaSetController(ctx: ControllerContext): RunningController {
  const expectations = new Expectations({ clock: ctx.clock });
  const { replicaSets, pods } = ctx.informers;
  const controller = runController({
    clock: ctx.clock,
    workers: ctx.workers ?? 2,
    reconcile: (key) => syncReplicaSet(ctx, expectations, key),
    onError: errorLogger("replicaset", ctx.logger),
  });
  const enqueue = (key: string | undefined): void => {
    if (key !== undefined) controller.queue.add(key);
  };
  const enqueueBatched = (key: string | undefined): void => {
    if (key !== undefined) controller.queue.addAfter(key, POD_EVENT_BATCH_MS);
  };
  // An orphan (or a released pod) may be adopted by any ReplicaSet whose selector matches it.
  const enqueueMatching = (pod: V1Pod): void => {
    for (const rs of replicaSets.list(pod.metadata?.namespace)) {
      if (selectorMatches(rs.spec?.selector, pod.metadata?.labels)) enqueueBatched(objectKey(rs));
    }
  };
  const podChanged = (pod: V1Pod): void => {
    const key = ownerKey(pod, "ReplicaSet");
    if (key !== undefined) enqueueBatched(key);
    else if (!controllerRefOf(pod)) enqueueMatching(pod);
  };
  replicaSets.on({ add: (rs) => enqueue(objectKey(rs)), update: (_o, rs) => enqueue(objectKey(rs)), delete: (rs) => enqueue(objectKey(rs)) });
  pods.on({
    add: (pod) => {
      const key = ownerKey(pod, "ReplicaSet");
      if (key !== undefined) expectations.creationObserved(key);
      podChanged(pod);
    },
    update: (old, pod) => {
      const oldKey = ownerKey(old, "ReplicaSet");
      if (oldKey !== undefined && oldKey !== ownerKey(pod, "ReplicaSet")) enqueueBatched(oldKey);
      podChanged(pod);
    },
    delete: (pod) => {
      const key = ownerKey(pod, "ReplicaSet");
      if (key !== undefined) expectations.deletionObserved(key, pod.metadata?.name ?? "");
      podChanged(pod);
    },
  });
  return controller;
}

async function syncReplicaSet(ctx: ControllerContext, expectations: Expectations, key: string): Promise<{ requeueAfter?: number }> {
  const rs = ctx.informers.replicaSets.get(key);
  if (!rs) {
    expectations.forget(key);
    return {};
  }
  const { namespace } = splitKey(key);
  const plan = planReplicaSet(rs, { pods: ctx.informers.pods.claimable({ uid: rs.metadata?.uid, namespace }), now: ctx.clock.now(), expectationsSatisfied: expectations.satisfied(key) });
  const identity = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: rs.metadata };
  await Promise.all([
    ...plan.adopt.map((p) => setOwnership(ctx.client, p, { adopt: identity })),
    ...plan.release.map((p) => setOwnership(ctx.client, p, { release: rs.metadata?.uid ?? "" })),
  ]);
  if (plan.create > 0) await createPods(ctx, expectations, { key, rs, count: plan.create });
  if (plan.delete.length > 0) {
    expectations.expect(key, { deletes: plan.delete.map((p) => p.metadata?.name ?? "") });
    await Promise.all(
      plan.delete.map(async (p) => {
        if (!(await deleteIgnoringMissing(ctx.client, p))) expectations.deletionObserved(key, p.metadata?.name ?? "");
      }),
    );
  }
  if (!replicaSetStatusEqual(rs.status, plan.status)) await ctx.client.updateStatus({ ...rs, status: plan.status });
  return { requeueAfter: plan.requeueAfter };
}

async function createPods(ctx: ControllerContext, expectations: Expectations, options: { key: string; rs: V1ReplicaSet; count: number }): Promise<void> {
  const { key, rs, count } = options;
  expectations.expect(key, { adds: count });
  const pod = podFromTemplate({
    template: rs.spec?.template,
    namespace: rs.metadata?.namespace ?? "default",
    ownerRef: newControllerRef({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: rs.metadata }),
    generateName: `${rs.metadata?.name ?? ""}-`,
  });
  // Kubernetes' slowStartBatch: batches of 1, 2, 4, … so a failing create (quota, admission)
  // costs one request, not `count`, and a large scale-up does not flood the API server at once.
  let created = 0;
  for (let batch = 1; created < count; batch *= 2) {
    const size = Math.min(batch, count - created);
    const results = await Promise.allSettled(Array.from({ length: size }, () => ctx.client.create(pod)));
    created += size;
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) {
      // Failed creates and the ones never tried will not be observed; stop waiting for them.
      const unobserved = results.filter((r) => r.status === "rejected").length + (count - created);
      for (let i = 0; i < unobserved; i++) expectations.creationObserved(key);
      throw failure.reason;
    }
  }
}
