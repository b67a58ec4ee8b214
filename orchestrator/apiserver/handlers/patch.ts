// PATCH: JSON patch, merge patch, strategic merge patch (built-ins only) and server-side
// apply. The patch is applied to the latest object; unless it pins a resourceVersion a lost
// race is retried, as kube-apiserver does.
import { parseDocument, mediaType } from "../body.js";
import { isDryRun, type ApiEnv, type ApiRequest } from "../context.js";
import { badRequest, methodNotAllowed, unsupportedMediaType } from "../errors.js";
import { isObject, meta, type JsonObject } from "../object.js";
import { jsonPatch } from "../patch/json.js";
import { mergePatch } from "../patch/merge.js";
import { strategicMergePatch } from "../patch/strategic.js";
import { applyConfiguration } from "../ssa/apply.js";
import { timestamp } from "../admission.js";
import { groupVersion } from "../types.js";
import { ok, type HandlerResult } from "./result.js";
import { applyScale, toScale } from "./scale.js";
import { commitUpdate, targetOf } from "./write.js";

type Patcher = (old: JsonObject, patch: unknown) => JsonObject;

const PATCHERS: Record<string, Patcher> = {
  "application/json-patch+json": jsonPatch,
  "application/merge-patch+json": (old, patch) => {
    const result = mergePatch(old, patch);
    if (!isObject(result)) throw badRequest("merge patch: the result is not an object");
    return result;
  },
  "application/strategic-merge-patch+json": strategicMergePatch,
};

export async function patchObject(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  const sub = req.subresource;
  if (sub && sub !== "status" && sub !== "scale") throw methodNotAllowed(`PATCH is not supported on ${req.info.resource}/${sub}`);
  const type = mediaType(req.contentType);
  if (type === "application/apply-patch+yaml") return applyHandler(env, req);
  const patcher = PATCHERS[type];
  if (!patcher) {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${req.info.custom ? "" : ", application/strategic-merge-patch+json"}`);
  }
  if (type === "application/strategic-merge-patch+json" && req.info.custom) {
    throw unsupportedMediaType(`strategic merge patch is not supported for ${req.info.kind} (a custom resource); use a merge or JSON patch`);
  }
  const patch = parseDocument(req.body, "application/json");
  const target = targetOf(env, req);
  const scale = sub === "scale";
  if (scale) target.subresource = undefined;
  const result = await commitUpdate(env, target, {
    name: req.name ?? "",
    dryRun: isDryRun(req),
    mutate: (old) => {
      const before = meta(old).resourceVersion;
      const patched = scale ? applyScale(req.info, old, patcher(toScale(req.info, old), patch)) : patcher(old, patch);
      // A patch that does not name a resourceVersion applies to whatever is current.
      if (meta(patched).resourceVersion === before) delete meta(patched).resourceVersion;
      return patched;
    },
  });
  return ok(scale ? toScale(req.info, result) : result);
}

async function applyHandler(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  if (!req.query.fieldManager) throw badRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
  const applied = parseDocument(req.body, "application/apply-patch+yaml");
  if (!isObject(applied)) throw badRequest("apply patch: expected a YAML or JSON object");
  const target = targetOf(env, req);
  target.operation = "Apply";
  const options = { manager: req.query.fieldManager, force: req.query.force === "true", keyedLists: !req.info.custom, apiVersion: groupVersion(req.info), time: timestamp(env), subresource: req.subresource };
  const result = await commitUpdate(env, target, {
    name: req.name ?? "",
    dryRun: isDryRun(req),
    mutate: (old) => {
      const merged = applyConfiguration(old, applied, options);
      if (meta(applied).resourceVersion === undefined) delete meta(merged).resourceVersion;
      return merged;
    },
    create: () => applyConfiguration(undefined, applied, options),
  });
  return ok(result, 200);
}
