// get and list. Lists read one consistent revision; selectors filter server-side.
import type { ApiEnv, ApiRequest } from "../context.js";
import { intParam } from "../body.js";
import { badRequest, methodNotAllowed } from "../errors.js";
import { getPath, stringMap, type JsonObject } from "../object.js";
import { matchesFields, parseFieldSelector } from "../selectors/fields.js";
import { matchesLabels, parseLabelSelector } from "../selectors/labels.js";
import { toScale } from "./scale.js";
import { groupVersion } from "../types.js";
import { ok, type HandlerResult } from "./result.js";
import { toTable, wantsTable } from "../table/index.js";

export async function getObject(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  const name = req.name ?? "";
  const obj = await env.storage.get(req.info, { namespace: req.namespace, name });
  withTypeMeta(req, obj);
  if (req.subresource === "scale") return ok(toScale(req.info, obj));
  if (req.subresource && req.subresource !== "status") throw methodNotAllowed(`GET is not supported on ${req.info.resource}/${req.subresource}`);
  if (wantsTable(req.accept)) return ok(toTable({ env, info: req.info, items: [obj], listMeta: { resourceVersion: String(getPath(obj, ["metadata", "resourceVersion"])) }, includeObject: req.query.includeObject }));
  return ok(obj);
}

/** Objects carry the version they are served at (CRD versions share one stored object). */
export function withTypeMeta(req: Pick<ApiRequest, "info">, obj: JsonObject): JsonObject {
  obj.apiVersion = groupVersion(req.info);
  obj.kind = req.info.kind;
  return obj;
}

export type ObjectFilter = (obj: JsonObject) => boolean;

/** The label and field selector of a list or watch as one predicate (undefined: all). */
export function selectorFilter(req: ApiRequest): ObjectFilter | undefined {
  const labels = req.query.labelSelector ? parseLabelSelector(req.query.labelSelector) : [];
  const fields = req.query.fieldSelector ? parseFieldSelector(req.query.fieldSelector, req.info.kind) : [];
  if (labels.length === 0 && fields.length === 0) return undefined;
  return (obj) => matchesLabels(labels, stringMap(getPath(obj, ["metadata", "labels"]))) && matchesFields(fields, obj);
}

export async function listObjects(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  const limit = intParam(req.query, "limit");
  if (limit !== undefined && limit < 0) throw badRequest(`invalid value for limit: ${limit}: must be >= 0`);
  const page = await env.storage.list(req.info, {
    namespace: req.namespace,
    limit,
    continueToken: req.query.continue || undefined,
    filter: selectorFilter(req),
  });
  const listMeta: JsonObject = { resourceVersion: String(page.revision) };
  if (page.continueToken) listMeta.continue = page.continueToken;
  for (const item of page.items) withTypeMeta(req, item);
  if (wantsTable(req.accept)) return ok(toTable({ env, info: req.info, items: page.items, listMeta, includeObject: req.query.includeObject }));
  return ok({ kind: req.info.listKind, apiVersion: groupVersion(req.info), metadata: listMeta, items: page.items });
}
