// reconcile(APPNAMESPACE/APPNAME), level-triggered (STYLE.md 5): read the Application, finish
// its deletion if it is going away, take over a user's operation request, advance a running
// operation by as many steps as need no waiting, else refresh (compare) and maybe start an
// automated sync. Nothing is remembered between calls except caches of immutable things
// (renders per commit) and the informers' view of the cluster.
import type { ReconcileResult } from "../core/workqueue/index.js";
import { apiStatusOf } from "../kube/client/index.js";
import { ApplicationSpecError, parseApplication, parseStatus } from "./application/parse.js";
import { setCondition } from "./application/status.js";
import { API_VERSION, KIND, RESOURCES_FINALIZER, type Application } from "./application/types.js";
import { isoNow, type ControllerContext } from "./context.js";
import { stepOperation } from "./sync/operation.js";
import { maybeAutoSync, refresh } from "./sync/refresh.js";
import { ownerOf, typesOf, watchKinds } from "./sync/target.js";
import { takeOverRequest } from "./sync/start.js";
import { uninstallOrder } from "../kube/apply/index.js";

/** Steps run back to back in one reconcile before yielding the worker to other apps. */
const MAX_STEPS_PER_RECONCILE = 20;
/** How soon a waiting step is looked at again (watch events on its objects usually come first). */
const STEP_POLL_MS = 1000;

export async function reconcileApp(ctx: ControllerContext, key: string): Promise<ReconcileResult> {
  const [namespace, name] = splitKey(key);
  const raw = await ctx.client.tryGet({ apiVersion: API_VERSION, kind: KIND, name, namespace });
  if (!raw) return {};
  let app: Application;
  try {
    app = parseApplication(raw);
  } catch (err) {
    if (!(err instanceof ApplicationSpecError)) throw err;
    const status = parseStatus(raw.status);
    setCondition(status, "InvalidSpecError", err.message, isoNow(ctx));
    await ctx.client.updateStatus({ ...raw, status }).catch(() => undefined);
    return {};
  }
  if (app.deleting) return finalizeDeletion(ctx, app);
  ctx.git.follow(app.spec.source.repoURL, { pollIntervalMs: app.spec.pollIntervalMs });
  app = await takeOverRequest(ctx, app);
  if (app.status.operationState?.phase === "Running") return driveOperation(ctx, app);
  const refreshed = await refresh(ctx, app);
  const auto = await maybeAutoSync(ctx, refreshed.app, refreshed);
  if (auto.app.status.operationState?.phase === "Running") return driveOperation(ctx, auto.app);
  return { requeueAfter: Math.min(auto.retryAfterMs ?? Infinity, app.spec.pollIntervalMs) };
}

async function driveOperation(ctx: ControllerContext, start: Application): Promise<ReconcileResult> {
  let app = start;
  for (let i = 0; i < MAX_STEPS_PER_RECONCILE; i++) {
    const result = await stepOperation(ctx, app);
    app = result.app;
    if (result.outcome === "waiting") return { requeueAfter: Math.max(1, result.requeueAfterMs ?? STEP_POLL_MS) };
    if (result.outcome === "finished") {
      // Report the new state at once (sync status, health) rather than a poll later.
      const refreshed = await refresh(ctx, app, { fresh: true });
      // Until it is healthy, look again soon: health is reported as it changes.
      return { requeueAfter: refreshed.comparison?.health === "Healthy" ? app.spec.pollIntervalMs : STEP_POLL_MS * 2 };
    }
  }
  return { requeueAfter: 1 };
}

/** With the resources finalizer: delete everything the app owns, then let the Application go. */
async function finalizeDeletion(ctx: ControllerContext, app: Application): Promise<ReconcileResult> {
  if (!app.finalizers.includes(RESOURCES_FINALIZER)) return {};
  await watchKinds(ctx, typesOf([], [...app.status.resources, ...(app.status.operationState?.syncResult.resources ?? [])]));
  const owned = ctx.live.owned(ownerOf(app));
  for (const obj of uninstallOrder(owned)) {
    try {
      await ctx.client.delete({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? "", namespace: obj.metadata.namespace }, { propagationPolicy: "Background" });
    } catch (err) {
      if (apiStatusOf(err)?.code !== 404) throw err;
    }
  }
  const finalizers = app.finalizers.filter((f) => f !== RESOURCES_FINALIZER);
  await ctx.client.patch(
    { apiVersion: API_VERSION, kind: KIND, name: app.name, namespace: app.namespace },
    { metadata: { finalizers, resourceVersion: app.resourceVersion } },
    { type: "merge" },
  );
  ctx.log(`${app.namespace}/${app.name}: deleted with ${owned.length} resource(s)`);
  return {};
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf("/");
  return slash < 0 ? ["default", key] : [key.slice(0, slash), key.slice(slash + 1)];
}
