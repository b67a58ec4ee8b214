// REST operations of one served resource in OpenAPI form. kubectl reads them to learn what
// the server supports: a PATCH operation tagged with the kind's group-version-kind and a
// `fieldValidation` query parameter tells it to let the server validate fields.
import { groupVersion, type ResourceInfo } from "../types.js";
import type { Dialect, GroupVersionKind, Schema } from "./schemas.js";

type Action = "get" | "list" | "watchlist" | "post" | "put" | "patch" | "delete" | "deletecollection";

interface Param {
  name: string;
  in: "query" | "path";
  type: "string" | "boolean" | "integer";
  description: string;
  required?: boolean;
}

const Q = (name: string, type: Param["type"], description: string): Param => ({ name, in: "query", type, description });
const DRY_RUN = Q("dryRun", "string", "When present, indicates that modifications should not be persisted.");
const FIELD_MANAGER = Q("fieldManager", "string", "fieldManager is a name associated with the actor or entity that is making these changes.");
const FIELD_VALIDATION = Q("fieldValidation", "string", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict.");
const FORCE = Q("force", "boolean", "Force is going to \"force\" Apply requests: re-acquire conflicting fields owned by other people.");
const LIST_PARAMS: Param[] = [
  Q("allowWatchBookmarks", "boolean", "allowWatchBookmarks requests watch events with type \"BOOKMARK\"."),
  Q("continue", "string", "The continue option should be set when retrieving more results from the server."),
  Q("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields."),
  Q("labelSelector", "string", "A selector to restrict the list of returned objects by their labels."),
  Q("limit", "integer", "limit is a maximum number of responses to return for a list call."),
  Q("resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a request may be served from."),
  Q("resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is applied to list calls."),
  Q("sendInitialEvents", "boolean", "sendInitialEvents=true may be set together with watch=true."),
  Q("timeoutSeconds", "integer", "Timeout for the list/watch call."),
  Q("watch", "boolean", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."),
];
const DELETE_PARAMS: Param[] = [
  DRY_RUN,
  Q("gracePeriodSeconds", "integer", "The duration in seconds before the object should be deleted."),
  Q("propagationPolicy", "string", "Whether and how garbage collection will be performed: Orphan, Background or Foreground."),
];

const PATCH_TYPES_BUILTIN = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];
const PATCH_TYPES_CUSTOM = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

interface OperationSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
  action: Action;
  verb: string;
  params: Param[];
  body?: "object" | "patch" | "delete";
  response: "object" | "list" | "status";
}

export interface ResourceSchemas {
  kind: string;
  list: string;
  status: string;
  deleteOptions: string;
  patch: string;
  /** The Scale schema, when the resource has a scale subresource. */
  scale?: string;
}

export interface PathContext {
  dialect: Dialect;
  ref: (definition: string) => string;
  schemas: ResourceSchemas;
}

const COLLECTION_OPS: OperationSpec[] = [
  { method: "get", action: "list", verb: "list", params: LIST_PARAMS, response: "list" },
  { method: "post", action: "post", verb: "create", params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body: "object", response: "object" },
  { method: "delete", action: "deletecollection", verb: "deletecollection", params: [...DELETE_PARAMS, ...LIST_PARAMS], body: "delete", response: "status" },
];
const ITEM_OPS: OperationSpec[] = [
  { method: "get", action: "get", verb: "get", params: [], response: "object" },
  { method: "put", action: "put", verb: "update", params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body: "object", response: "object" },
  { method: "patch", action: "patch", verb: "patch", params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], body: "patch", response: "object" },
  { method: "delete", action: "delete", verb: "delete", params: DELETE_PARAMS, body: "delete", response: "status" },
];

function pathParams(names: string[]): Param[] {
  return names.map((n) => ({ name: n, in: "path" as const, type: "string" as const, required: true, description: `${n} of the resource` }));
}

function renderParam(p: Param, dialect: Dialect): Schema {
  const base: Schema = { name: p.name, in: p.in, description: p.description, uniqueItems: true };
  if (p.required) base.required = true;
  return dialect === "v2" ? { ...base, type: p.type } : { ...base, schema: { type: p.type, uniqueItems: true } };
}

function opId(op: OperationSpec, r: ResourceInfo, suffix: string): string {
  const gv = groupVersion(r).replace(/[./]/g, "_");
  return `${op.verb}_${gv}_${r.resource}${suffix}`;
}

function renderOperation(op: OperationSpec, r: ResourceInfo, ctx: PathContext, sub?: string): Schema {
  const gvk: GroupVersionKind = sub === "scale" ? { group: "autoscaling", version: "v1", kind: "Scale" } : { group: r.group, version: r.version, kind: r.kind };
  const objectDef = sub === "scale" && ctx.schemas.scale ? ctx.schemas.scale : ctx.schemas.kind;
  const responseDef = op.response === "list" ? ctx.schemas.list : op.response === "status" ? ctx.schemas.status : objectDef;
  const bodyDef = op.body === "delete" ? ctx.schemas.deleteOptions : op.body === "patch" ? ctx.schemas.patch : objectDef;
  const patchTypes = r.custom ? PATCH_TYPES_CUSTOM : PATCH_TYPES_BUILTIN;
  const bodyTypes = op.body === "patch" ? patchTypes : ["application/json", "application/yaml"];
  const parameters = op.params.map((p) => renderParam(p, ctx.dialect));
  const out: Schema = {
    operationId: opId(op, r, sub ? `_${sub}` : ""),
    tags: [groupVersion(r).replace(/[./]/g, "_")],
    description: `${op.verb} ${sub ? `${sub} of ` : ""}the specified ${r.kind}`,
    parameters,
  };
  const produces = ["application/json", "application/yaml"];
  if (ctx.dialect === "v2") {
    if (op.body) {
      out.consumes = bodyTypes;
      parameters.unshift({ name: "body", in: "body", required: op.body !== "delete", schema: { $ref: ctx.ref(bodyDef) } });
    }
    out.produces = produces;
    out.responses = { "200": { description: "OK", schema: { $ref: ctx.ref(responseDef) } }, "401": { description: "Unauthorized" } };
  } else {
    if (op.body) out.requestBody = { content: Object.fromEntries(bodyTypes.map((t) => [t, { schema: { $ref: ctx.ref(bodyDef) } }])), required: op.body !== "delete" };
    out.responses = { "200": { description: "OK", content: Object.fromEntries(produces.map((t) => [t, { schema: { $ref: ctx.ref(responseDef) } }])) }, "401": { description: "Unauthorized" } };
  }
  out["x-kubernetes-action"] = op.action;
  out["x-kubernetes-group-version-kind"] = gvk;
  return out;
}

function allowed(r: ResourceInfo, ops: OperationSpec[]): OperationSpec[] {
  return ops.filter((op) => r.verbs.some((v) => v === op.verb));
}

/** The paths of one resource: collection, item, subresources, and the all-namespaces list. */
export function resourcePaths(r: ResourceInfo, ctx: PathContext): Record<string, Schema> {
  const prefix = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const scoped = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
  const scopeParams = r.namespaced ? ["namespace"] : [];
  const paths: Record<string, Schema> = {};
  const add = (path: string, ops: OperationSpec[], params: string[], sub?: string): void => {
    if (ops.length === 0) return;
    const item: Schema = { parameters: pathParams(params).map((p) => renderParam(p, ctx.dialect)) };
    for (const op of ops) item[op.method] = renderOperation(op, r, ctx, sub);
    paths[path] = item;
  };
  add(scoped, allowed(r, COLLECTION_OPS), scopeParams);
  add(`${scoped}/{name}`, allowed(r, ITEM_OPS), [...scopeParams, "name"]);
  for (const sub of r.subresources ?? []) {
    if (sub !== "status" && sub !== "scale") continue;
    const ops = ITEM_OPS.filter((op) => op.method !== "delete");
    add(`${scoped}/{name}/${sub}`, allowed(r, ops), [...scopeParams, "name"], sub);
  }
  if (r.namespaced && r.verbs.includes("list")) add(`${prefix}/${r.resource}`, [COLLECTION_OPS[0]], []);
  return paths;
}
