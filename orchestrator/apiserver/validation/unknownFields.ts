// Unknown fields, as kube-apiserver's decoder sees them: built-in kinds are decoded into their
// Go types and CRD objects are pruned by their structural schema, so a field the type does
// not declare never reaches storage. fieldValidation decides whether that drop is silent
// (Ignore), reported in Warning headers (Warn, the default) or a 400 (Strict).
import type { Model } from "../openapi/catalog.js";
import { isObject, type JsonObject } from "../object.js";
import { decodeByModel, type DecodeResult } from "./decodePlan.js";

export type FieldValidation = "Ignore" | "Warn" | "Strict";

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** Removes the fields the model does not declare; returns their paths ("spec.containers[0].bogus"). */
export function pruneByModel(catalog: ReadonlyMap<string, Model>, model: string, obj: JsonObject, path = ""): string[] {
  const m = catalog.get(model);
  if (!m) return [];
  const fields = new Map(m.fields.map((f) => [f.jsonName, f.type]));
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const type = fields.get(key);
    if (type === undefined) {
      unknown.push(join(path, key));
      delete obj[key];
      continue;
    }
    unknown.push(...pruneValue(catalog, type, value, join(path, key)));
  }
  return unknown;
}

function pruneValue(catalog: ReadonlyMap<string, Model>, type: string, value: unknown, path: string): string[] {
  const array = ARRAY.exec(type);
  if (array) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, i) => pruneValue(catalog, array[1], item, `${path}[${i}]`));
  }
  const map = MAP.exec(type);
  if (map) {
    if (!isObject(value)) return [];
    return Object.entries(value).flatMap(([k, v]) => pruneValue(catalog, map[1], v, `${path}[${k}]`));
  }
  if (isObject(value) && catalog.has(type)) return pruneByModel(catalog, type, value, path);
  return [];
}

const EMBEDDED = new Set(["apiVersion", "kind", "metadata"]);

/**
 * Prunes by a CRD's structural schema. `x-kubernetes-preserve-unknown-fields` keeps a subtree;
 * the root and embedded resources keep apiVersion, kind and metadata (metadata is checked
 * against ObjectMeta by the caller).
 */
export function pruneBySchema(schema: JsonObject, obj: JsonObject, path = "", root = true): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"] === true && !isObject(schema.properties)) return [];
  const props = isObject(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  const keepMeta = root || schema["x-kubernetes-embedded-resource"] === true;
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (keepMeta && EMBEDDED.has(key)) continue;
    const sub = props?.[key] ?? (isObject(additional) ? additional : undefined);
    if (sub === undefined || !isObject(sub)) {
      if (additional === true || schema["x-kubernetes-preserve-unknown-fields"] === true) continue;
      unknown.push(join(path, key));
      delete obj[key];
      continue;
    }
    unknown.push(...pruneSchemaValue(sub, value, join(path, key)));
  }
  return unknown;
}

function pruneSchemaValue(schema: JsonObject, value: unknown, path: string): string[] {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!isObject(items)) return [];
    return value.flatMap((item, i) => pruneSchemaValue(items, item, `${path}[${i}]`));
  }
  if (isObject(value)) return pruneBySchema(schema, value, path, false);
  return [];
}

export function parseFieldValidation(value: string | undefined): FieldValidation {
  if (value === "Ignore" || value === "Strict") return value;
  return "Warn";
}

export interface UnknownFieldsOptions {
  catalog: ReadonlyMap<string, Model>;
  /** client-node class of a built-in kind; undefined for custom resources. */
  model?: string;
  /** The openAPIV3Schema of a custom resource version, if its CRD declares one. */
  schema?: JsonObject;
}

/** Prunes unknown fields of a whole object; returns their paths in document order. */
export function pruneUnknownFields(obj: JsonObject, options: UnknownFieldsOptions): string[] {
  if (options.model) return pruneByModel(options.catalog, options.model, obj);
  const unknown = options.schema ? pruneBySchema(options.schema, obj) : [];
  if (isObject(obj.metadata)) unknown.push(...pruneByModel(options.catalog, "V1ObjectMeta", obj.metadata, "metadata"));
  return unknown;
}

/**
 * What the decoder does to a whole object, through compiled plans: a built-in kind's JSON
 * types are checked against its Go types and its unknown fields dropped in one pass (the same
 * outcome as goTypeError, then pruneUnknownFields); other objects are pruned as
 * pruneUnknownFields does. On a type error obj is rejected and may be half pruned.
 */
export function decodeObject(obj: JsonObject, options: UnknownFieldsOptions): DecodeResult {
  if (options.model) return decodeByModel(options.catalog, options.model, obj, { checkTypes: true });
  const unknown = options.schema ? pruneBySchema(options.schema, obj) : [];
  if (isObject(obj.metadata)) unknown.push(...decodeByModel(options.catalog, "V1ObjectMeta", obj.metadata, { checkTypes: false, path: "metadata" }).unknown);
  return { unknown };
}
