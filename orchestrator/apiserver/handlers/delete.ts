// delete and deletecollection. Objects with finalizers (or a Foreground / Orphan delete, or a
// namespace) get a deletionTimestamp and stay until the finalizers are gone; gc.ts and the
// namespace loop finish the job.
import { timestamp } from "../admission.js";
import { intParam, parseDocument } from "../body.js";
import { isDryRun, notifyWrite, type ApiEnv, type ApiRequest } from "../context.js";
import { ApiError, badRequest, conflict, methodNotAllowed } from "../errors.js";
import { arrayOf, child, getPath, isObject, meta, str, type JsonObject } from "../object.js";
import type { ResourceInfo } from "../types.js";
import { selectorFilter, withTypeMeta } from "./read.js";
import { ok, type HandlerResult } from "./result.js";

export type Propagation = "Background" | "Foreground" | "Orphan";

export interface DeleteOptions {
  propagation: Propagation;
  gracePeriodSeconds?: number;
  preconditionUid?: string;
  preconditionResourceVersion?: string;
  dryRun: boolean;
}

export const FOREGROUND = "foregroundDeletion";
export const ORPHAN = "orphan";

export function deleteOptionsOf(req: ApiRequest): DeleteOptions {
  const body = req.body && req.body.trim() !== "" ? parseDocument(req.body, req.contentType) : {};
  const b = isObject(body) ? body : {};
  const policy = str(b.propagationPolicy) ?? req.query.propagationPolicy ?? (b.orphanDependents === true || req.query.orphanDependents === "true" ? "Orphan" : "Background");
  if (policy !== "Background" && policy !== "Foreground" && policy !== "Orphan") {
    throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Orphan", "Foreground", "Background"`);
  }
  const grace = typeof b.gracePeriodSeconds === "number" ? b.gracePeriodSeconds : intParam(req.query, "gracePeriodSeconds");
  const dryRunBody = arrayOf(b.dryRun).includes("All");
  return {
    propagation: policy,
    gracePeriodSeconds: grace,
    preconditionUid: str(getPath(b, ["preconditions", "uid"])),
    preconditionResourceVersion: str(getPath(b, ["preconditions", "resourceVersion"])),
    dryRun: dryRunBody || isDryRun(req),
  };
}

export async function deleteHandler(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  if (req.subresource) throw methodNotAllowed(`DELETE is not supported on ${req.info.resource}/${req.subresource}`);
  const result = await deleteObject(env, req.info, { namespace: req.namespace, name: req.name ?? "" }, deleteOptionsOf(req));
  return ok(withTypeMeta(req, result.obj), result.deleted ? 200 : 202);
}

export interface DeleteResult {
  obj: JsonObject;
  /** False when the object stays until its finalizers are removed. */
  deleted: boolean;
}

function pendingFinalizers(info: ResourceInfo, obj: JsonObject, options: DeleteOptions): string[] {
  const m = meta(obj);
  const finalizers = arrayOf(m.finalizers).filter((f): f is string => typeof f === "string");
  if (m.deletionTimestamp === undefined) {
    if (options.propagation === "Foreground" && !finalizers.includes(FOREGROUND)) finalizers.push(FOREGROUND);
    if (options.propagation === "Orphan" && !finalizers.includes(ORPHAN)) finalizers.push(ORPHAN);
  }
  return finalizers;
}

export async function deleteObject(env: ApiEnv, info: ResourceInfo, ref: { namespace?: string; name: string }, options: DeleteOptions): Promise<DeleteResult> {
  for (let attempt = 0; ; attempt++) {
    const obj = await env.storage.get(info, ref);
    const m = meta(obj);
    if (options.preconditionUid && options.preconditionUid !== m.uid) {
      throw conflict(`Precondition failed: UID in precondition: ${options.preconditionUid}, UID in object meta: ${String(m.uid)}`, { name: ref.name });
    }
    if (options.preconditionResourceVersion && options.preconditionResourceVersion !== m.resourceVersion) {
      throw conflict(`Precondition failed: ResourceVersion in precondition: ${options.preconditionResourceVersion}, ResourceVersion in object meta: ${String(m.resourceVersion)}`, { name: ref.name });
    }
    const revision = Number(m.resourceVersion);
    const finalizers = pendingFinalizers(info, obj, options);
    const isNamespace = info.group === "" && info.resource === "namespaces";
    const grace = podGracePeriod(info, obj, options);
    if (options.dryRun) return { obj, deleted: finalizers.length === 0 && !isNamespace && grace === 0 };
    try {
      if (grace > 0) return await markGraceful(env, info, ref, { obj, grace, finalizers, revision });
      if (finalizers.length === 0 && !isNamespace) {
        const deleted = await env.storage.delete(info, ref, revision);
        await notifyWrite(env, info, deleted, true);
        return { obj: deleted, deleted: true };
      }
      if (m.deletionTimestamp !== undefined && arrayOf(m.finalizers).length === finalizers.length && !m.deletionGracePeriodSeconds) return { obj, deleted: false };
      if (finalizers.length === 0) delete m.finalizers;
      else m.finalizers = finalizers;
      m.deletionTimestamp = timestamp(env);
      m.deletionGracePeriodSeconds = 0;
      if (isNamespace) child(obj, "status").phase = "Terminating";
      const written = await env.storage.update(info, ref, obj, revision);
      await notifyWrite(env, info, written, false);
      return { obj: written, deleted: false };
    } catch (err) {
      const raced = err instanceof ApiError && err.reason === "Conflict";
      if (!raced || attempt >= 5 || options.preconditionResourceVersion) throw err;
    }
  }
}

/**
 * Pods bound to a node and still running get a grace period, as on Kubernetes: the delete sets
 * deletionTimestamp = now + grace and the node's kubelet stops the containers, then deletes
 * the pod with gracePeriodSeconds=0. Unbound or finished pods, and grace 0, go at once.
 */
function podGracePeriod(info: ResourceInfo, obj: JsonObject, options: DeleteOptions): number {
  if (info.group !== "" || info.resource !== "pods") return 0;
  const phase = str(getPath(obj, ["status", "phase"]));
  if (!str(getPath(obj, ["spec", "nodeName"])) || phase === "Succeeded" || phase === "Failed") return 0;
  const specGrace = getPath(obj, ["spec", "terminationGracePeriodSeconds"]);
  const requested = options.gracePeriodSeconds ?? (typeof specGrace === "number" ? specGrace : 30);
  const current = getPath(obj, ["metadata", "deletionGracePeriodSeconds"]);
  // A second delete may only shorten the grace period, never extend it.
  const grace = typeof current === "number" && meta(obj).deletionTimestamp !== undefined ? Math.min(current, requested) : requested;
  return Math.max(0, grace);
}

async function markGraceful(
  env: ApiEnv,
  info: ResourceInfo,
  ref: { namespace?: string; name: string },
  state: { obj: JsonObject; grace: number; finalizers: string[]; revision: number },
): Promise<DeleteResult> {
  const m = meta(state.obj);
  if (m.deletionTimestamp !== undefined && m.deletionGracePeriodSeconds === state.grace) return { obj: state.obj, deleted: false };
  if (state.finalizers.length > 0) m.finalizers = state.finalizers;
  m.deletionTimestamp = new Date(Math.floor(env.clock.now() / 1000) * 1000 + state.grace * 1000).toISOString().replace(".000Z", "Z");
  m.deletionGracePeriodSeconds = state.grace;
  const written = await env.storage.update(info, ref, state.obj, state.revision);
  await notifyWrite(env, info, written, false);
  return { obj: written, deleted: false };
}

export async function deleteCollection(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  const options = deleteOptionsOf(req);
  const page = await env.storage.list(req.info, { namespace: req.namespace, filter: selectorFilter(req) });
  const items: JsonObject[] = [];
  for (const item of page.items) {
    const ref = { namespace: str(getPath(item, ["metadata", "namespace"])), name: str(getPath(item, ["metadata", "name"])) ?? "" };
    try {
      items.push(withTypeMeta(req, (await deleteObject(env, req.info, ref, options)).obj));
    } catch (err) {
      // Deleted concurrently: the collection delete still succeeds, as on Kubernetes.
      if (!(err instanceof ApiError && err.reason === "NotFound")) throw err;
    }
  }
  return ok({ kind: req.info.listKind, apiVersion: `${req.info.group ? `${req.info.group}/` : ""}${req.info.version}`, metadata: { resourceVersion: String(page.revision) }, items });
}
