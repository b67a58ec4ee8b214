// create and update (PUT), including the status, scale and binding subresources. Every write
// is prepared in memory first and lands in the store in one compare-and-swap.
import { expectedRevision, prepareCreate, prepareUpdate, type WriteTarget } from "../admission.js";
import { parseObject } from "../body.js";
import { isDryRun, managerOf, notifyWrite, type ApiEnv, type ApiRequest } from "../context.js";
import { ApiError, badRequest, conflict, forbidden, methodNotAllowed, notFound } from "../errors.js";
import { arrayOf, child, clone, getPath, meta, str, type JsonObject } from "../object.js";
import type { ResourceInfo } from "../types.js";
import { ok, type HandlerResult } from "./result.js";
import { applyScale, toScale } from "./scale.js";
import { withTypeMeta } from "./read.js";
import { admitServiceCreate, admitServiceUpdate, serializeServiceWrites } from "../admission/serviceAlloc.js";
import { admitStorageCreate, admitStorageUpdate } from "../admission/storage.js";
import { parseFieldValidation } from "../validation/unknownFields.js";

const NAMESPACE_INFO: Pick<ResourceInfo, "group" | "resource" | "namespaced"> = { group: "", resource: "namespaces", namespaced: false };

export function targetOf(env: ApiEnv, req: ApiRequest): WriteTarget {
  return {
    env,
    info: req.info,
    namespace: req.namespace,
    manager: managerOf(req),
    subresource: req.subresource,
    fieldValidation: parseFieldValidation(req.query.fieldValidation),
    warnings: req.warnings,
    user: req.user,
  };
}

async function runWriteChecks(env: ApiEnv, target: WriteTarget, obj: JsonObject, old?: JsonObject): Promise<void> {
  for (const check of env.writeChecks) await check({ target, obj, old });
}

async function checkNamespaceOpen(env: ApiEnv, namespace: string | undefined): Promise<void> {
  if (namespace === undefined) return;
  const ns = await env.storage.tryGet(NAMESPACE_INFO, { name: namespace });
  if (!ns) throw notFound(`namespaces "${namespace}" not found`, { name: namespace });
  if (getPath(ns, ["metadata", "deletionTimestamp"]) !== undefined) {
    throw forbidden(`unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

export async function createObject(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  if (req.subresource === "binding" || (req.info.resource === "bindings" && req.info.group === "")) return bindPod(env, req);
  if (req.subresource) throw methodNotAllowed(`POST is not supported on ${req.info.resource}/${req.subresource}`);
  const input = parseObject(req.body, req.contentType);
  const created = await createPrepared(env, targetOf(env, req), input, isDryRun(req));
  return ok(created, 201);
}

/** Creates obj for target; used by POST and by apply / patch that create. */
export async function createPrepared(env: ApiEnv, target: WriteTarget, input: JsonObject, dryRun: boolean): Promise<JsonObject> {
  return serializeServiceWrites(env, target.info, () => createAdmitted(env, target, input, dryRun));
}

async function createAdmitted(env: ApiEnv, target: WriteTarget, input: JsonObject, dryRun: boolean): Promise<JsonObject> {
  if (target.info.namespaced) await checkNamespaceOpen(env, target.namespace ?? str(getPath(input, ["metadata", "namespace"])));
  const obj = prepareCreate(target, input);
  await admitServiceCreate(env, target.info, obj);
  await runWriteChecks(env, target, obj);
  await admitStorageCreate(env, target.info, obj);
  if (dryRun) return obj;
  const ref = { namespace: str(meta(obj).namespace), name: str(meta(obj).name) ?? "" };
  const created = await env.storage.create(target.info, ref, obj);
  await notifyWrite(env, target.info, created, false);
  return withTypeMeta(target, created);
}

export async function updateObject(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  if (req.subresource && req.subresource !== "status" && req.subresource !== "scale" && req.subresource !== "finalize") {
    throw methodNotAllowed(`PUT is not supported on ${req.info.resource}/${req.subresource}`);
  }
  const input = parseObject(req.body, req.contentType);
  const target = targetOf(env, req);
  const scale = req.subresource === "scale";
  if (scale) target.subresource = undefined;
  // The first attempt takes the parsed body as it is; a retry (a lost race) parses it afresh,
  // as the attempt before changed it.
  let body: JsonObject | undefined = input;
  const fresh = (): JsonObject => {
    const next = body ?? parseObject(req.body, req.contentType);
    body = undefined;
    return next;
  };
  const base = { name: req.name ?? "", dryRun: isDryRun(req) };
  const result = await commitUpdate(env, target, scale ? { ...base, mutate: (old) => applyScale(req.info, old, input) } : { ...base, replace: fresh });
  return ok(scale ? toScale(req.info, result) : result);
}

interface PlanBase {
  name: string;
  dryRun: boolean;
  /** Create when missing (server-side apply and PUT on some kinds). */
  create?: () => JsonObject;
}

export type UpdatePlan = PlanBase &
  (
    | {
        /** Builds the new object from the current one (a private copy). */
        mutate: (old: JsonObject) => JsonObject | Promise<JsonObject>;
      }
    | {
        /** Gives the new object whatever the current one is (PUT): the current one is not copied. */
        replace: () => JsonObject;
      }
  );

/**
 * Read, mutate, prepare, compare-and-swap. When the client sent no resourceVersion the
 * write is unconditional, so a lost race is retried against the new state; otherwise it
 * is the client's 409.
 */
export async function commitUpdate(env: ApiEnv, target: WriteTarget, plan: UpdatePlan): Promise<JsonObject> {
  return serializeServiceWrites(env, target.info, () => updateAdmitted(env, target, plan));
}

async function updateAdmitted(env: ApiEnv, target: WriteTarget, plan: UpdatePlan): Promise<JsonObject> {
  const ref = { namespace: target.namespace, name: plan.name };
  for (let attempt = 0; ; attempt++) {
    const old = await env.storage.tryGet(target.info, ref);
    if (!old) {
      if (plan.create) return createAdmitted(env, target, plan.create(), plan.dryRun);
      throw notFound(`${target.info.resource}${target.info.group ? `.${target.info.group}` : ""} "${plan.name}" not found`, { name: plan.name });
    }
    const input = "replace" in plan ? plan.replace() : await plan.mutate(clone(old));
    const clientRevision = expectedRevision(input);
    const oldRevision = Number(meta(old).resourceVersion);
    const obj = prepareUpdate(target, old, input);
    await admitServiceUpdate(env, target.info, old, obj);
    await runWriteChecks(env, target, obj, old);
    admitStorageUpdate(target.info, old, obj);
    if (plan.dryRun) {
      // A dry run answers with what would be stored, at the version it would replace.
      meta(obj).resourceVersion = meta(old).resourceVersion;
      return withTypeMeta(target, obj);
    }
    try {
      const written = await writeOrFinalize(env, target, obj, clientRevision ?? oldRevision);
      return withTypeMeta(target, written);
    } catch (err) {
      const retry = clientRevision === undefined && attempt < MAX_UPDATE_RETRIES && err instanceof ApiError && err.reason === "Conflict";
      if (!retry) throw err;
      // The store may have accepted the newer write without making it readable yet (it is
      // being fsynced): give it a moment, growing, before reading again.
      await pause(env, Math.min(2 ** attempt, 100));
    }
  }
}

/** A write that names no resourceVersion is retried on a lost race, as kube-apiserver's GuaranteedUpdate does. */
const MAX_UPDATE_RETRIES = 12;

function pause(env: ApiEnv, ms: number): Promise<void> {
  return new Promise((resolve) => env.clock.setTimeout(resolve, ms));
}

/** An object marked for deletion whose finalizers are all gone is removed, not written. */
async function writeOrFinalize(env: ApiEnv, target: WriteTarget, obj: JsonObject, revision: number): Promise<JsonObject> {
  const m = meta(obj);
  const ref = { namespace: str(m.namespace), name: str(m.name) ?? "" };
  const finalizers = [...arrayOf(m.finalizers), ...(target.info.kind === "Namespace" ? arrayOf(getPath(obj, ["spec", "finalizers"])) : [])];
  // A pod in its grace period (deletionGracePeriodSeconds > 0) stays until its kubelet deletes it.
  if (m.deletionTimestamp !== undefined && finalizers.length === 0 && !(Number(m.deletionGracePeriodSeconds) > 0)) {
    const deleted = await env.storage.delete(target.info, ref, revision);
    await notifyWrite(env, target.info, deleted, true);
    return obj;
  }
  const written = await env.storage.update(target.info, ref, obj, revision);
  await notifyWrite(env, target.info, written, false);
  return written;
}

async function bindPod(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  const binding = parseObject(req.body, req.contentType);
  const podName = req.name ?? str(getPath(binding, ["metadata", "name"])) ?? "";
  const node = str(getPath(binding, ["target", "name"]));
  if (!node) throw badRequest("Binding.target.name: Required value");
  const podInfo = env.registry.lookup("", "v1", "pods");
  if (!podInfo) throw notFound("pods are not served");
  const target: WriteTarget = { env, info: podInfo, namespace: req.namespace, manager: managerOf(req) };
  await commitUpdate(env, target, {
    name: podName,
    dryRun: isDryRun(req),
    mutate: (pod) => {
      const current = str(getPath(pod, ["spec", "nodeName"]));
      if (current) throw conflict(`Operation cannot be fulfilled on pods/binding "${podName}": pod ${podName} is already assigned to node "${current}"`, { name: podName });
      if (getPath(pod, ["metadata", "deletionTimestamp"]) !== undefined) throw conflict(`pod ${podName} is being deleted, cannot be assigned to a host`);
      child(pod, "spec").nodeName = node;
      delete meta(pod).resourceVersion;
      return pod;
    },
  });
  return ok({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 }, 201);
}
