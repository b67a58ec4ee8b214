// The sync step machine (STYLE.md 8; model: gitops-engine's sync_context). Its whole state is
// status.operationState: the revision, the step index and whether that step was applied. The
// steps are recomputed from the revision's render each time, so a controller that restarts
// mid-sync continues where the status says, and re-applying a step is harmless (server-side
// apply; hooks carry the operation id and are not created twice).
import { applyManifests, uninstallOrder } from "../../kube/apply/index.js";
import { apiStatusOf, type Unstructured } from "../../kube/client/index.js";
import { health } from "../../kube/wait/index.js";
import { appendHistory } from "../application/status.js";
import { OPERATION_ANNOTATION, TERMINATE_ANNOTATION, type Application, type OperationState, type ResourceStatus } from "../application/types.js";
import { isoNow, type ControllerContext } from "../context.js";
import { NAMESPACE_ROLE, NAMESPACES_BINDING } from "../rbac.js";
import type { DesiredResource } from "../source/resource.js";
import { FIELD_MANAGER } from "./compare.js";
import { deleteHooks, jobMessage, nameHooks, runHook } from "./hooks.js";
import { ignoredPointers, withoutPointers } from "./ignore.js";
import { optionOn } from "./options.js";
import { hooksOfType, planSteps, steadyResources, type SyncStep } from "./plan.js";
import { hookPhase, identity, pruneDisabled, resourceIdentity, toResourceStatus } from "./resources.js";
import { attemptTimedOut, formatDuration, mayRetry, retryDelayMs, retryWaitMs } from "./retry.js";
import { cloneStatus, createNamespaceIfAsked, ownerOf, prepare, renderAt, resolveRevision, typesOf, watchKinds, writeStatus } from "./target.js";

export type StepOutcome = "advanced" | "waiting" | "finished";

export interface StepResult {
  app: Application;
  outcome: StepOutcome;
  /** For "waiting": when to look again, if not on the usual poll (a retry's backoff). */
  requeueAfterMs?: number;
}

/** API errors that a retry of the same step cannot fix: the operation fails (and may be retried whole). */
const FAILING_CODES = new Set([400, 403, 404, 422]);

function runningOp(app: Application): OperationState | undefined {
  const op = app.status.operationState;
  return op?.phase === "Running" ? op : undefined;
}

/** Advances the running operation by one step. */
export async function stepOperation(ctx: ControllerContext, app: Application): Promise<StepResult> {
  const op = runningOp(app);
  if (!op) return { app, outcome: "finished" };
  const wait = retryWaitMs(op, ctx.clock.now());
  if (wait > 0) return { app, outcome: "waiting", requeueAfterMs: wait };
  const source = op.source ?? app.spec.source;
  let resources: DesiredResource[];
  try {
    resources = nameHooks(await renderAt(ctx, app, source, op.syncResult.revision), attemptOf(op));
  } catch (err) {
    return failOperation(ctx, app, { message: `revision ${op.syncResult.revision.slice(0, 7)} does not render: ${messageOf(err)}`, resources: [] });
  }
  if (app.raw.metadata.annotations?.[TERMINATE_ANNOTATION] === op.id) {
    return { app: await finishOperation(ctx, app, { phase: "Failed", message: "operation terminated by the user", resources }), outcome: "finished" };
  }
  if (attemptTimedOut(op, ctx.clock.now(), ctx.syncTimeoutMs)) {
    return failOperation(ctx, app, { message: `timed out after ${formatDuration(ctx.syncTimeoutMs)}: ${op.message}`, resources });
  }
  const steps = planSteps(resources);
  const step = steps[op.step];
  if (!step) return { app: await completeOperation(ctx, app, resources), outcome: "finished" };
  try {
    if (!op.stepApplied) return { app: await applyStep(ctx, app, step), outcome: "advanced" };
    return await checkStep(ctx, app, step, resources);
  } catch (err) {
    const code = apiStatusOf(err)?.code;
    if (code !== undefined && FAILING_CODES.has(code)) {
      const hint = code === 403 ? ` (the controller's identity needs ClusterRole ${NAMESPACE_ROLE} in namespace ${app.spec.destination.namespace}: ClusterRoleBinding ${NAMESPACES_BINDING}, or a RoleBinding there)` : "";
      return failOperation(ctx, app, { message: `${step.phase} wave ${step.wave}: ${messageOf(err)}${hint}`, resources });
    }
    throw err;
  }
}

/** What names this attempt's hooks: a retry runs them again under new names. */
function attemptOf(op: OperationState): Pick<OperationState, "startedAt" | "syncResult"> {
  return { startedAt: op.attemptStartedAt ?? op.startedAt, syncResult: op.syncResult };
}

/** The id hooks of this attempt carry (so a retry creates them again, a restart does not). */
function hookRunId(op: OperationState): string {
  return op.retryCount ? `${op.id}.${op.retryCount}` : op.id;
}

/** A failed attempt: retried after its backoff when the strategy allows, else the operation fails. */
async function failOperation(ctx: ControllerContext, app: Application, end: { message: string; resources: DesiredResource[] }): Promise<StepResult> {
  const op = requireOp(app);
  if (!op.retry || !mayRetry(op)) return { app: await finishOperation(ctx, app, { phase: "Failed", ...end }), outcome: "finished" };
  await deleteHooks(ctx, app, end.resources, "HookFailed");
  const status = cloneStatus(app);
  const next = requireOp({ ...app, status });
  const delay = retryDelayMs(op.retry, op.retryCount ?? 0);
  const at = new Date(ctx.clock.now() + delay).toISOString();
  next.retryCount = (op.retryCount ?? 0) + 1;
  next.step = 0;
  next.stepApplied = false;
  next.nextAttemptAt = at;
  next.attemptStartedAt = at;
  const limit = op.retry.limit < 0 ? "" : ` of ${op.retry.limit}`;
  next.message = `${end.message}; retry ${next.retryCount}${limit} in ${formatDuration(delay)}`;
  for (const r of next.syncResult.resources) {
    r.syncPhase = "Pending";
    delete r.hookPhase;
  }
  const written = await writeStatus(ctx, app, status);
  await ctx.events.record(written, { reason: "SyncRetry", message: next.message, warning: true });
  return { app: written, outcome: "waiting", requeueAfterMs: delay };
}

async function applyStep(ctx: ControllerContext, app: Application, step: SyncStep): Promise<Application> {
  const op = requireOp(app);
  if (op.step === 0) await createNamespaceIfAsked(ctx, app);
  const steady: Unstructured[] = [];
  const replaced: Unstructured[] = [];
  for (const r of step.resources) {
    if (r.hook) {
      await runHook(ctx, app, r, hookRunId(op));
      continue;
    }
    let obj = await prepare(ctx, app, r.object);
    if (optionOn(app.spec, obj, "RespectIgnoreDifferences")) obj = withoutPointers(obj, ignoredPointers(obj, app.spec.ignoreDifferences));
    (optionOn(app.spec, obj, "Replace") ? replaced : steady).push(obj);
  }
  await applyManifests(steady, { client: ctx.client, fieldManager: FIELD_MANAGER, force: true, namespace: app.spec.destination.namespace });
  for (const obj of replaced) await replaceObject(ctx, obj);
  const status = cloneStatus(app);
  const next = requireOp({ ...app, status });
  const applied = new Set(await Promise.all(step.resources.map(async (r) => identity(await prepare(ctx, app, r.object)))));
  for (const r of next.syncResult.resources) {
    if (!applied.has(resourceIdentity(r))) continue;
    r.syncPhase = "Applied";
    if (r.hookType) r.hookPhase = "Running";
  }
  next.stepApplied = true;
  next.message = `${step.phase} wave ${step.wave}: applied ${step.resources.length} resource(s), waiting for them to be healthy`;
  return writeStatus(ctx, app, status);
}

/** Replace=true: `kubectl replace` (PUT of the whole object), or create when it is missing. */
async function replaceObject(ctx: ControllerContext, obj: Unstructured): Promise<void> {
  const live = await ctx.client.tryGet({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? "", namespace: obj.metadata.namespace });
  if (!live) {
    await ctx.client.create(obj, { fieldManager: FIELD_MANAGER });
    return;
  }
  await ctx.client.update({ ...obj, metadata: { ...obj.metadata, resourceVersion: live.metadata.resourceVersion } }, { fieldManager: FIELD_MANAGER });
}

async function checkStep(ctx: ControllerContext, app: Application, step: SyncStep, all: DesiredResource[]): Promise<StepResult> {
  const status = cloneStatus(app);
  const op = requireOp({ ...app, status });
  const byId = new Map(op.syncResult.resources.map((r) => [resourceIdentity(r), r]));
  let pending = 0;
  for (const r of step.resources) {
    const obj = await prepare(ctx, app, r.object);
    const live = await ctx.client.tryGet({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? "", namespace: obj.metadata.namespace });
    const entry = byId.get(identity(obj));
    const verdict = r.hook ? hookVerdict(live) : await resourceVerdict(ctx, live);
    if (entry) {
      if (r.hook) entry.hookPhase = verdict.state === "ok" ? "Succeeded" : verdict.state === "failed" ? "Failed" : "Running";
      else entry.health = verdict.health;
    }
    if (verdict.state === "failed") {
      const message = `${step.phase} wave ${step.wave}: ${obj.kind}/${obj.metadata.name ?? ""}: ${verdict.message}`;
      return { app: await finishOperation(ctx, { ...app, status }, { phase: "Failed", message, resources: all }), outcome: "finished" };
    }
    if (verdict.state === "pending") pending++;
  }
  if (pending > 0) {
    op.message = `${step.phase} wave ${step.wave}: waiting for ${pending} of ${step.resources.length} resource(s)`;
    return { app: await writeStatus(ctx, app, status), outcome: "waiting" };
  }
  op.step += 1;
  op.stepApplied = false;
  return { app: await writeStatus(ctx, app, status), outcome: "advanced" };
}

type Verdict = { state: "ok" | "pending" | "failed"; message: string; health?: ResourceStatus["health"] };

function hookVerdict(live: Unstructured | undefined): Verdict {
  const phase = hookPhase(live);
  if (phase === "Succeeded") return { state: "ok", message: "completed" };
  if (phase === "Failed") return { state: "failed", message: `hook failed${jobMessage(live)}` };
  return { state: "pending", message: "running" };
}

async function resourceVerdict(ctx: ControllerContext, live: Unstructured | undefined): Promise<Verdict> {
  const endpoints = live && live.kind === "Service" && live.apiVersion === "v1"
    ? await ctx.client.tryGet({ apiVersion: "v1", kind: "Endpoints", name: live.metadata.name ?? "", namespace: live.metadata.namespace })
    : undefined;
  const h = health(live, { endpoints });
  if (h.status === "Healthy") return { state: "ok", message: h.message, health: "Healthy" };
  if (h.status === "Degraded") return { state: "failed", message: h.message, health: "Degraded" };
  return { state: "pending", message: h.message, health: h.status };
}

/** All steps done: prune (when asked), delete succeeded hooks, record history. */
async function completeOperation(ctx: ControllerContext, app: Application, resources: DesiredResource[]): Promise<Application> {
  const op = requireOp(app);
  let pruned = 0;
  if (op.prune) pruned = await pruneLeftovers(ctx, app, resources);
  await deleteHooks(ctx, app, resources, "HookSucceeded");
  const message = `successfully synced ${steadyResources(resources).length} resource(s)${pruned ? `, pruned ${pruned}` : ""}`;
  return finishOperation(ctx, app, { phase: "Succeeded", message, resources });
}

async function pruneLeftovers(ctx: ControllerContext, app: Application, resources: DesiredResource[]): Promise<number> {
  const desired = new Set<string>();
  for (const r of steadyResources(resources)) desired.add(identity(await prepare(ctx, app, r.object)));
  await watchKinds(ctx, typesOf(resources.map((r) => r.object), [...app.status.resources, ...requireOp(app).syncResult.resources]));
  const leftovers = ctx.live.owned(ownerOf(app)).filter((o) => !desired.has(identity(o)) && !pruneDisabled(o) && !o.metadata.annotations?.[OPERATION_ANNOTATION]);
  for (const obj of uninstallOrder(leftovers)) {
    try {
      await ctx.client.delete({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? "", namespace: obj.metadata.namespace }, { propagationPolicy: "Background" });
    } catch (err) {
      if (apiStatusOf(err)?.code !== 404) throw err;
    }
  }
  return leftovers.length;
}

/** Ends the operation: SyncFail hooks on failure, history on success, one Event, metrics. */
export async function finishOperation(
  ctx: ControllerContext,
  app: Application,
  end: { phase: "Succeeded" | "Failed"; message: string; resources: DesiredResource[] },
): Promise<Application> {
  const status = cloneStatus(app);
  const op = requireOp({ ...app, status });
  if (end.phase === "Failed") {
    for (const r of hooksOfType(end.resources, "SyncFail")) await runHook(ctx, app, r, hookRunId(op)).catch(() => undefined);
    await deleteHooks(ctx, app, end.resources, "HookFailed");
  }
  op.phase = end.phase;
  op.message = end.message;
  op.finishedAt = isoNow(ctx);
  if (end.phase === "Succeeded" && recordsHistory(app, op)) {
    const source = op.source ?? app.spec.source;
    const commit = await resolveRevision(ctx, { ...source, targetRevision: op.syncResult.revision });
    status.history = appendHistory(
      status.history,
      { revision: op.syncResult.revision, message: commit.message, author: commit.author, deployedAt: op.finishedAt, deployedBy: op.initiatedBy, source: { ...source, targetRevision: source.targetRevision } },
      app.spec.revisionHistoryLimit,
    );
  }
  const written = await writeStatus(ctx, app, status);
  const seconds = Math.max(0, (Date.parse(op.finishedAt) - Date.parse(op.startedAt)) / 1000);
  const result = end.phase === "Succeeded" ? "succeeded" : "failed";
  ctx.metrics.syncs.inc({ result });
  ctx.metrics.syncDuration.observe({ result }, seconds);
  await ctx.events.record(written, end.phase === "Succeeded"
    ? { reason: "Synced", message: `synced to ${op.syncResult.revision.slice(0, 7)}: ${end.message}` }
    : { reason: "SyncFailed", message: end.message, warning: true });
  return written;
}

/** A self-heal re-sync of the revision already recorded last adds no history entry. */
function recordsHistory(app: Application, op: OperationState): boolean {
  const last = app.status.history.at(-1);
  return !(op.initiatedBy === "automated" && last?.revision === op.syncResult.revision && !op.source);
}

function requireOp(app: Application): OperationState {
  const op = app.status.operationState;
  if (!op) throw new Error(`application ${app.namespace}/${app.name}: no operation in status`);
  return op;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The resources an operation will touch, recorded before it applies anything (so a crash leaves their kinds known for prune). */
export async function plannedResources(ctx: ControllerContext, app: Application, resources: DesiredResource[]): Promise<ResourceStatus[]> {
  const out: ResourceStatus[] = [];
  for (const r of resources) {
    const phase = r.hook?.types.find((t) => t !== "SyncFail");
    if (r.hook && !phase) continue;
    const obj = await prepare(ctx, app, r.object);
    const status = toResourceStatus(obj, { status: "OutOfSync", syncPhase: "Pending" });
    if (r.hook && phase) status.hookType = phase;
    out.push(status);
  }
  return out;
}
