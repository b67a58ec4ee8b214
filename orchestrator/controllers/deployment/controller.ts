// The Deployment controller's I/O half: events -> queue keys, and a reconcile that reads the
// caches, asks planDeployment for one step and writes it (ReplicaSets, annotations, status).
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import { apiStatusOf } from "../../../kube/client/index.js";
import { isKind } from "../shared/informers.js";
import { canonicalJson, templatesEqualIgnoringHash } from "../shared/hash.js";
import { selectorMatches } from "../shared/labels.js";
import { controllerRefOf, isControlledBy, objectKey, splitKey } from "../shared/ownerRefs.js";
import { deleteIgnoringMissing, errorLogger, ownerKey, setOwnership, type ControllerContext } from "../shared/runtime.js";
import { planDeployment, type DeploymentPlan } from "./plan.js";
import { isRollingUpdate } from "./rolling.js";

export function startDeploymentController(ctx: ControllerContext): RunningController {
  const { deployments, replicaSets, pods } = ctx.informers;
  const controller = runController({
    clock: ctx.clock,
    workers: ctx.workers ?? 2,
    reconcile: (key) => syncDeployment(ctx, key),
    onError: errorLogger("deployment", ctx.logger),
  });
  const enqueue = (key: string | undefined): void => {
    if (key !== undefined) controller.queue.add(key);
  };
  const rsChanged = (rs: V1ReplicaSet): void => {
    const key = ownerKey(rs, "Deployment");
    if (key !== undefined) return enqueue(key);
    if (controllerRefOf(rs)) return;
    for (const d of deployments.list(rs.metadata?.namespace)) if (selectorMatches(d.spec?.selector, rs.metadata?.labels)) enqueue(objectKey(d));
  };
  deployments.on({ add: (d) => enqueue(objectKey(d)), update: (_o, d) => enqueue(objectKey(d)), delete: (d) => enqueue(objectKey(d)) });
  replicaSets.on({
    add: rsChanged,
    update: (old, rs) => {
      const oldKey = ownerKey(old, "Deployment");
      if (oldKey !== undefined && oldKey !== ownerKey(rs, "Deployment")) enqueue(oldKey);
      rsChanged(rs);
    },
    delete: rsChanged,
  });
  // Recreate waits for old pods to disappear; their deletion is what lets it continue.
  pods.on({
    delete: (pod) => {
      const rsKey = ownerKey(pod, "ReplicaSet");
      const rs = rsKey === undefined ? undefined : replicaSets.get(rsKey);
      if (rs) enqueue(ownerKey(rs, "Deployment"));
    },
  });
  return controller;
}

async function syncDeployment(ctx: ControllerContext, key: string): Promise<{ requeueAfter?: number }> {
  const d = ctx.informers.deployments.get(key);
  if (!d) return {};
  const { namespace } = splitKey(key);
  // Only Recreate looks at pods; skip listing them for rolling updates.
  const pods = isRollingUpdate(d) ? [] : ctx.informers.pods.list(namespace);
  const plan = planDeployment(d, { replicaSets: ctx.informers.replicaSets.list(namespace), pods, now: ctx.clock.now() });
  const identity = { apiVersion: "apps/v1", kind: "Deployment", metadata: d.metadata };
  await Promise.all([
    ...plan.adopt.map((rs) => setOwnership(ctx.client, rs, { adopt: identity })),
    ...plan.release.map((rs) => setOwnership(ctx.client, rs, { release: d.metadata?.uid ?? "" })),
  ]);
  if (plan.create && !(await createReplicaSet(ctx, d, plan.create))) return { requeueAfter: 1 };
  for (const u of plan.update) {
    await ctx.client.update({ ...u.rs, metadata: { ...u.rs.metadata, annotations: u.annotations }, spec: { ...u.rs.spec, replicas: u.replicas, selector: u.rs.spec?.selector ?? {} } });
  }
  await Promise.all(plan.delete.map((rs) => deleteIgnoringMissing(ctx.client, rs)));
  if (plan.annotations) {
    await ctx.client.patch(
      { apiVersion: "apps/v1", kind: "Deployment", name: d.metadata?.name ?? "", namespace },
      { metadata: { annotations: plan.annotations, resourceVersion: d.metadata?.resourceVersion } },
      { type: "merge" },
    );
  }
  await writeStatus(ctx, d, plan);
  // Rollouts move on ReplicaSet status events; the requeue covers the progress deadline.
  return { requeueAfter: plan.requeueAfter };
}

async function writeStatus(ctx: ControllerContext, d: V1Deployment, plan: DeploymentPlan): Promise<void> {
  if (canonicalJson(d.status ?? {}) === canonicalJson(plan.status)) return;
  const latest = plan.annotations ? ctx.informers.deployments.get(objectKey(d)) : d;
  // The annotation patch above moved the resourceVersion; write status without a precondition
  // then, as the status is recomputed from scratch on every sync anyway.
  const base = latest ?? d;
  await ctx.client.updateStatus({ ...base, metadata: { ...base.metadata, resourceVersion: plan.annotations ? undefined : base.metadata?.resourceVersion }, status: plan.status });
}

/**
 * Creates the new ReplicaSet. A name clash with a ReplicaSet we already control and whose
 * template matches is the cache lagging (fine); any other clash bumps status.collisionCount so
 * the next hash, and name, differ. Returns false when the sync should start over.
 */
async function createReplicaSet(ctx: ControllerContext, d: V1Deployment, rs: V1ReplicaSet): Promise<boolean> {
  try {
    await ctx.client.create(rs);
    return true;
  } catch (err) {
    if (apiStatusOf(err)?.reason !== "AlreadyExists") throw err;
  }
  const existing = await ctx.client.tryGet({ apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.metadata?.name ?? "", namespace: rs.metadata?.namespace });
  if (existing && isKind(existing, "ReplicaSet") && isControlledBy(existing, d.metadata?.uid) && templatesEqualIgnoringHash(existing.spec?.template, d.spec?.template)) {
    return false;
  }
  const status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
  await ctx.client.updateStatus({ ...d, status });
  return false;
}
