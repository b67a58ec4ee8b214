// Turns a client's object into what gets stored: type and namespace checks, server-owned
// metadata (uid, timestamps, generation, managedFields), defaults and validation. Runs
// entirely before the store write, so a rejected request never leaves a half-written object.
import { randomInt } from "node:crypto";
import type { UserInfo } from "../auth/types.js";
import type { ApiEnv } from "./context.js";
import { applyDefaults } from "./defaulting/index.js";
import { omitEmptyMetadataLists } from "./defaulting/metadata.js";
import { addDefaultTolerations } from "./admission/defaultTolerations.js";
import { generateJobSelector } from "./admission/jobSelector.js";
import { badRequest, InvalidError, fieldCause, type StatusCause } from "./errors.js";
import { clone, deepEqual, isObject, meta, str, type JsonObject } from "./object.js";
import { recordUpdate } from "./ssa/managed.js";
import { groupVersion, type ResourceInfo } from "./types.js";
import { validateBuiltin } from "./validation/index.js";
import { nameRuleFor, validateName } from "./validation/names.js";
import { validateMetadata } from "./validation/metadata.js";
import { decodeObject, type FieldValidation } from "./validation/unknownFields.js";
import { loadCatalog } from "./openapi/catalog.js";
import { kindModel } from "./openapi/documents.js";
import { builtinMaps, customMaps, type MapPredicate } from "./ssa/mapFields.js";

export interface WriteTarget {
  env: ApiEnv;
  info: ResourceInfo;
  namespace?: string;
  manager: string;
  subresource?: string;
  /** "Apply" when server-side apply already computed managedFields. */
  operation?: "Apply" | "Update";
  /** What to do with fields the type does not declare (default Warn). */
  fieldValidation?: FieldValidation;
  /** Collects Warning headers for the reply. */
  warnings?: string[];
  /** Who writes; absent for the server's own writes and when it runs without auth. */
  user?: UserInfo;
}

const GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function generateSuffix(): string {
  let out = "";
  for (let i = 0; i < 5; i++) out += GENERATE_ALPHABET[randomInt(GENERATE_ALPHABET.length)];
  return out;
}

export function checkTypeMeta(info: ResourceInfo, obj: JsonObject): void {
  const gv = groupVersion(info);
  if (obj.apiVersion === undefined) obj.apiVersion = gv;
  if (obj.kind === undefined) obj.kind = info.kind;
  if (obj.apiVersion !== gv) throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`);
  if (obj.kind !== info.kind) throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${info.kind})`);
}

function checkNamespace(t: WriteTarget, obj: JsonObject): void {
  const m = meta(obj);
  if (!t.info.namespaced) {
    delete m.namespace;
    return;
  }
  const given = str(m.namespace);
  if (given && t.namespace && given !== t.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  m.namespace = t.namespace ?? given;
}

// The text of the last second formatted: every write asks for it, most within the same second.
let lastSecond = Number.NaN;
let lastText = "";

/** Kubernetes timestamps have second precision: "2025-01-01T00:00:00Z". */
export function timestamp(env: ApiEnv): string {
  const second = Math.floor(env.clock.now() / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace(".000Z", "Z");
    lastSecond = second;
  }
  return lastText;
}

function nowIso(t: WriteTarget): string {
  return timestamp(t.env);
}

/** Secrets accept stringData as a write-only convenience; it is folded into data. */
function foldStringData(info: ResourceInfo, obj: JsonObject): void {
  if (info.kind !== "Secret" || info.group !== "" || !isObject(obj.stringData)) return;
  const data: JsonObject = isObject(obj.data) ? obj.data : {};
  for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString("base64");
  obj.data = data;
  delete obj.stringData;
}

function validate(t: WriteTarget, obj: JsonObject, old?: JsonObject): void {
  const name = str(meta(obj).name) ?? "";
  const causes: StatusCause[] = [];
  if (name === "") causes.push(fieldCause("FieldValueRequired", "metadata.name", "Required value: name or generateName is required"));
  else causes.push(...validateName(name, nameRuleFor(t.info.kind)));
  if (t.info.namespaced && !str(meta(obj).namespace)) causes.push(fieldCause("FieldValueRequired", "metadata.namespace", "Required value"));
  causes.push(...validateMetadata(meta(obj)));
  causes.push(...(t.info.custom ? t.env.custom.validate(t.info, obj) : validateBuiltin(t.info.kind, obj, { old, subresource: t.subresource })));
  if (causes.length > 0) throw new InvalidError(t.info.kind, name, causes);
}

/** Drops undeclared fields; Strict makes them a 400 and Warn reports them, as kube-apiserver does. */
export function checkUnknownFields(t: WriteTarget, obj: JsonObject): void {
  const catalog = loadCatalog();
  const { typeError, unknown } = t.info.custom
    ? decodeObject(obj, { catalog, schema: t.env.custom.schema(t.info) })
    : decodeObject(obj, { catalog, model: modelOf(t.info) });
  if (typeError) throw badRequest(`${t.info.kind} in version "${t.info.version}" cannot be handled as a ${t.info.kind}: ${typeError}`);
  if (unknown.length === 0 || t.fieldValidation === "Ignore") return;
  const messages = unknown.map((path) => `unknown field ${JSON.stringify(path)}`);
  if (t.fieldValidation === "Strict") {
    throw badRequest(`${t.info.kind} in version "${t.info.version}" cannot be handled as a ${t.info.kind}: strict decoding error: ${messages.join(", ")}`);
  }
  t.warnings?.push(...messages);
}

// A built-in kind's model and map predicate depend only on its ResourceInfo: found once each.
const models = new WeakMap<ResourceInfo, { model?: string }>();
const maps = new WeakMap<ResourceInfo, { isMap?: MapPredicate }>();

function modelOf(info: ResourceInfo): string | undefined {
  let found = models.get(info);
  if (!found) {
    found = { model: kindModel(loadCatalog(), info) };
    models.set(info, found);
  }
  return found.model;
}

function mapsOf(info: ResourceInfo): MapPredicate | undefined {
  if (info.custom) return customMaps;
  let found = maps.get(info);
  if (!found) {
    const model = modelOf(info);
    found = { isMap: model ? builtinMaps(loadCatalog(), model) : undefined };
    maps.set(info, found);
  }
  return found.isMap;
}

export function prepareCreate(t: WriteTarget, input: JsonObject): JsonObject {
  const obj = input;
  checkTypeMeta(t.info, obj);
  checkUnknownFields(t, obj);
  checkNamespace(t, obj);
  const m = meta(obj);
  if (!str(m.name) && str(m.generateName)) m.name = `${str(m.generateName)}${generateSuffix()}`;
  for (const k of ["uid", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"]) delete m[k];
  m.uid = t.env.newUid();
  m.creationTimestamp = nowIso(t);
  if (tracksGeneration(t.info)) m.generation = 1;
  foldStringData(t.info, obj);
  omitEmptyMetadataLists(obj);
  generateJobSelector(t.info, obj);
  addDefaultTolerations(t.info, obj);
  if (!t.info.custom) applyDefaults(t.info.kind, obj);
  validate(t, obj);
  if (t.operation !== "Apply") recordUpdate(obj, { manager: t.manager, apiVersion: groupVersion(t.info), time: nowIso(t), keyedLists: !t.info.custom, isMap: mapsOf(t.info) });
  return obj;
}

// Kinds whose Kubernetes 1.32 registry strategy keeps metadata.generation (custom resources
// always do); ConfigMaps, Pods, Services and the like never carry one.
const GENERATION_KINDS = new Set([
  "apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet", "batch/Job", "batch/CronJob", "/ReplicationController",
  "networking.k8s.io/Ingress", "networking.k8s.io/IngressClass", "networking.k8s.io/NetworkPolicy", "policy/PodDisruptionBudget",
  "apiextensions.k8s.io/CustomResourceDefinition",
]);

function tracksGeneration(info: ResourceInfo): boolean {
  return info.custom === true || GENERATION_KINDS.has(`${info.group}/${info.kind}`);
}

const SERVER_META = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"];

function specChanged(old: JsonObject, obj: JsonObject): boolean {
  for (const k of new Set([...Object.keys(old), ...Object.keys(obj)])) {
    if (k === "metadata" || k === "status" || k === "apiVersion" || k === "kind") continue;
    if (!deepEqual(old[k], obj[k])) return true;
  }
  return false;
}

/** Applies subresource rules: status writes keep everything but status; main writes keep status. */
function mergeForSubresource(t: WriteTarget, old: JsonObject, obj: JsonObject): JsonObject {
  const hasStatus = t.info.custom ? t.env.custom.hasStatus(t.info) : (t.info.subresources ?? []).includes("status");
  if (t.subresource === "status") {
    // Everything but status comes from the stored object; its old status is not copied.
    const merged: JsonObject = clone({ ...old, status: undefined });
    merged.status = obj.status;
    meta(merged).resourceVersion = meta(obj).resourceVersion;
    return merged;
  }
  if (hasStatus && old.status !== undefined) obj.status = old.status;
  else if (hasStatus) delete obj.status;
  return obj;
}

export function prepareUpdate(t: WriteTarget, old: JsonObject, input: JsonObject): JsonObject {
  checkTypeMeta(t.info, input);
  checkUnknownFields(t, input);
  checkNamespace(t, input);
  const oldName = str(meta(old).name) ?? "";
  const name = str(meta(input).name);
  if (name !== undefined && name !== oldName) {
    throw badRequest(`the name of the object (${name}) does not match the name on the URL (${oldName})`);
  }
  const obj = mergeForSubresource(t, old, input);
  const m = meta(obj);
  m.name = oldName;
  const om = meta(old);
  for (const k of SERVER_META) {
    if (om[k] === undefined) delete m[k];
    else m[k] = om[k];
  }
  foldStringData(t.info, obj);
  omitEmptyMetadataLists(obj);
  if (!t.info.custom) applyDefaults(t.info.kind, obj);
  if (tracksGeneration(t.info) && specChanged(old, obj)) m.generation = (typeof om.generation === "number" ? om.generation : 0) + 1;
  validate(t, obj, old);
  if (t.operation !== "Apply") recordUpdate(obj, { old, manager: t.manager, apiVersion: groupVersion(t.info), time: nowIso(t), keyedLists: !t.info.custom, subresource: t.subresource, isMap: mapsOf(t.info) });
  return obj;
}

/** The resourceVersion a client sent, as a store revision (undefined when absent). */
export function expectedRevision(obj: JsonObject): number | undefined {
  const rv = str(meta(obj).resourceVersion);
  if (rv === undefined || rv === "") return undefined;
  const n = Number(rv);
  if (!Number.isInteger(n) || n <= 0) {
    throw new InvalidError(str(obj.kind) ?? "object", str(meta(obj).name) ?? "", [fieldCause("FieldValueInvalid", "metadata.resourceVersion", `Invalid value: ${JSON.stringify(rv)}: must be a positive integer`)]);
  }
  return n;
}
