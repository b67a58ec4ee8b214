// Hooks of a sync: naming the ones declared with only `metadata.generateName`, creating them
// once per operation, and their delete policies. A generated name is chosen by the controller
// (gitops-engine's rule: generateName + short revision + phase + operation start), not by the
// API server, so a controller that restarts mid-step finds the hook it created instead of
// creating another. BeforeHookCreation deletes the app's earlier hooks of the same template —
// for a generated name that means every earlier instance, not just one of the same name.
import { apiStatusOf, isRecord, type Unstructured } from "../../kube/client/index.js";
import { HOOK_GENERATE_NAME_ANNOTATION, INSTANCE_LABEL, OPERATION_ANNOTATION, type Application, type OperationState } from "../application/types.js";
import type { ControllerContext } from "../context.js";
import type { DesiredResource } from "../source/resource.js";
import { phaseOf } from "./plan.js";
import { hookPhase, isOwnedBy } from "./resources.js";
import { ownerOf, prepare } from "./target.js";

const MAX_NAME = 63;

/** The name a generateName hook gets in one operation: stable across restarts of the controller. */
export function generatedHookName(generateName: string, op: Pick<OperationState, "startedAt" | "syncResult">, phase: string): string {
  const seconds = Math.floor(Date.parse(op.startedAt) / 1000);
  const postfix = `${op.syncResult.revision.slice(0, 7)}-${phase}-${seconds}`.toLowerCase();
  const prefix = generateName.toLowerCase().slice(0, Math.max(1, MAX_NAME - postfix.length));
  return `${prefix}${postfix}`.replace(/[^a-z0-9.-]/g, "-");
}

/** Copies of the hooks that have only a generateName, named for this operation; others as they are. */
export function nameHooks(resources: readonly DesiredResource[], op: Pick<OperationState, "startedAt" | "syncResult">): DesiredResource[] {
  return resources.map((r) => {
    const generateName = r.object.metadata.generateName;
    if (!r.hook || r.object.metadata.name || typeof generateName !== "string" || generateName === "") return r;
    const phase = phaseOf(r) ?? "syncfail";
    const object = structuredClone(r.object);
    object.metadata.name = generatedHookName(generateName, op, phase);
    delete object.metadata.generateName;
    object.metadata.annotations = { ...(object.metadata.annotations ?? {}), [HOOK_GENERATE_NAME_ANNOTATION]: generateName };
    return { ...r, object };
  });
}

/** Creates a hook unless this operation already did (a restarted step must not run it twice). */
export async function runHook(ctx: ControllerContext, app: Application, r: DesiredResource, operationId: string): Promise<void> {
  const obj = await prepare(ctx, app, r.object, operationId);
  const ref = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? "", namespace: obj.metadata.namespace };
  const existing = await ctx.client.tryGet(ref);
  if (existing?.metadata.annotations?.[OPERATION_ANNOTATION] === operationId) return;
  const generateName = obj.metadata.annotations?.[HOOK_GENERATE_NAME_ANNOTATION];
  if (generateName && r.hook?.deletePolicies.includes("BeforeHookCreation")) await deleteEarlierInstances(ctx, app, obj, generateName);
  // A hook of an earlier sync goes first (BeforeHookCreation, the default); if it is still
  // terminating the create fails with 409 and the queue retries the step.
  if (existing) await ctx.client.delete(ref, { propagationPolicy: "Background" });
  await ctx.client.create(obj);
}

/** The app's hooks of this template (same kind, namespace and generateName) from earlier operations. */
async function deleteEarlierInstances(ctx: ControllerContext, app: Application, obj: Unstructured, generateName: string): Promise<void> {
  const type = { apiVersion: obj.apiVersion, kind: obj.kind };
  const { items } = await ctx.client.list(type, { namespace: obj.metadata.namespace, labelSelector: `${INSTANCE_LABEL}=${app.name}` });
  const owner = ownerOf(app);
  const operation = obj.metadata.annotations?.[OPERATION_ANNOTATION];
  for (const item of items) {
    const a = item.metadata.annotations ?? {};
    if (!isOwnedBy(item, owner) || a[HOOK_GENERATE_NAME_ANNOTATION] !== generateName || a[OPERATION_ANNOTATION] === operation) continue;
    await deleteQuietly(ctx, item);
  }
}

/**
 * Applies a delete policy to the hooks of this operation: HookSucceeded deletes the ones that
 * succeeded, HookFailed the ones that failed (a hook that never ran is left alone).
 */
export async function deleteHooks(ctx: ControllerContext, app: Application, resources: readonly DesiredResource[], policy: "HookSucceeded" | "HookFailed"): Promise<void> {
  const wanted = policy === "HookSucceeded" ? "Succeeded" : "Failed";
  for (const r of resources) {
    if (!r.hook?.deletePolicies.includes(policy)) continue;
    const obj = await prepare(ctx, app, r.object);
    const live = await ctx.client.tryGet({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? "", namespace: obj.metadata.namespace }).catch(() => undefined);
    if (!live || hookPhase(live) !== wanted) continue;
    await deleteQuietly(ctx, live);
  }
}

async function deleteQuietly(ctx: ControllerContext, obj: Unstructured): Promise<void> {
  try {
    await ctx.client.delete({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? "", namespace: obj.metadata.namespace }, { propagationPolicy: "Background" });
  } catch (err) {
    if (apiStatusOf(err)?.code !== 404) throw err;
  }
}

/** Why a Job hook failed, from its Failed condition. */
export function jobMessage(live: Unstructured | undefined): string {
  const status = live && isRecord(live.status) ? live.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isRecord) : [];
  const failed = conditions.find((c) => c.type === "Failed");
  return failed && typeof failed.message === "string" ? `: ${failed.message}` : "";
}
