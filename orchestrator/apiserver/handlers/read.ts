// get and list. Lists read one consistent revision; selectors filter server-side. Responses
// are spliced from the stored JSON text (rawJson.ts) unless a Table asks for parsed objects.
import type { ApiEnv, ApiRequest } from "../context.js";
import { intParam } from "../body.js";
import { badRequest, methodNotAllowed } from "../errors.js";
import type { JsonObject } from "../object.js";
import type { KeyValue } from "../../store/types.js";
import { attributesOf } from "../selectors/attributes.js";
import { matchesFieldValues, parseFieldSelector } from "../selectors/fields.js";
import { matchesLabels, parseLabelSelector } from "../selectors/labels.js";
import { toScale } from "./scale.js";
import { groupVersion } from "../types.js";
import { ok, okJson, type HandlerResult } from "./result.js";
import { checkIncludeObject, tableBody } from "../table/index.js";
import { checkTargetFits, negotiateOutput, type OutputTarget } from "../negotiate.js";
import { decode, type RawListPage } from "../storage.js";
import { JsonBody, listBody, ObjectWriter } from "../rawJson.js";

function outputFor(req: ApiRequest, response: "object" | "list"): OutputTarget {
  const output = negotiateOutput(req.accept);
  checkTargetFits(output, response);
  if (output.kind === "Table") checkIncludeObject(req.query.includeObject);
  return output;
}

export async function getObject(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  const output = outputFor(req, "object");
  const kv = await env.storage.getRaw(req.info, { namespace: req.namespace, name: req.name ?? "" });
  if (req.subresource === "scale") return ok(toScale(req.info, withTypeMeta(req, decode(kv))));
  if (req.subresource && req.subresource !== "status") throw methodNotAllowed(`GET is not supported on ${req.info.resource}/${req.subresource}`);
  const writer = new ObjectWriter({ apiVersion: groupVersion(req.info), kind: req.info.kind });
  if (output.kind === "PartialObjectMetadata") return okJson(writer.partial(new JsonBody(), kv, output.version).toBuffer());
  if (output.kind === "Table") {
    const rows = [{ kv, obj: withTypeMeta(req, decode(kv)) }];
    return okJson(tableBody({ env, info: req.info, listMeta: { resourceVersion: String(kv.modRevision) }, includeObject: req.query.includeObject, version: output.version }, rows, writer));
  }
  return okJson(writer.object(new JsonBody(), kv).toBuffer());
}

/** Objects carry the version they are served at (CRD versions share one stored object). */
export function withTypeMeta(req: Pick<ApiRequest, "info">, obj: JsonObject): JsonObject {
  obj.apiVersion = groupVersion(req.info);
  obj.kind = req.info.kind;
  return obj;
}

export type ObjectFilter = (kv: KeyValue) => boolean;

/** The label and field selector of a list or watch as one predicate over stored objects (undefined: all). */
export function selectorFilter(req: ApiRequest): ObjectFilter | undefined {
  const labels = req.query.labelSelector ? parseLabelSelector(req.query.labelSelector) : [];
  const fields = req.query.fieldSelector ? parseFieldSelector(req.query.fieldSelector, req.info.kind) : [];
  if (labels.length === 0 && fields.length === 0) return undefined;
  const kind = req.info.kind;
  return (kv) => {
    const attributes = attributesOf(kv, kind);
    return matchesLabels(labels, attributes.labels) && matchesFieldValues(fields, attributes.fields);
  };
}

export async function listObjects(env: ApiEnv, req: ApiRequest): Promise<HandlerResult> {
  const output = outputFor(req, "list");
  const limit = intParam(req.query, "limit");
  if (limit !== undefined && limit < 0) throw badRequest(`invalid value for limit: ${limit}: must be >= 0`);
  const page = await env.storage.listRaw(req.info, {
    namespace: req.namespace,
    limit,
    continueToken: req.query.continue || undefined,
    filter: selectorFilter(req),
  });
  const listMeta: JsonObject = { resourceVersion: String(page.revision) };
  if (page.continueToken) listMeta.continue = page.continueToken;
  return okJson(pageBody(env, req, page, listMeta, output));
}

function pageBody(env: ApiEnv, req: ApiRequest, page: RawListPage, listMeta: JsonObject, output: OutputTarget): Buffer {
  const writer = new ObjectWriter({ apiVersion: groupVersion(req.info), kind: req.info.kind });
  if (output.kind === "Table") {
    const rows = page.kvs.map((kv) => ({ kv, obj: withTypeMeta(req, decode(kv)) }));
    return tableBody({ env, info: req.info, listMeta, includeObject: req.query.includeObject, version: output.version }, rows, writer);
  }
  if (output.kind === "PartialObjectMetadataList") {
    const type = { kind: "PartialObjectMetadataList", apiVersion: `meta.k8s.io/${output.version}` };
    return listBody(type, listMeta, page.kvs, (body, kv) => writer.partial(body, kv, output.version));
  }
  return listBody({ kind: req.info.listKind, apiVersion: groupVersion(req.info) }, listMeta, page.kvs, (body, kv) => writer.object(body, kv));
}
