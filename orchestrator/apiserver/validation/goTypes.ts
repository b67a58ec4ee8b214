// JSON value types against the Go types of a built-in kind, as kube-apiserver's decoder checks
// them: a bool where a string belongs (YAML's `y`, `on`) is a 400, whatever fieldValidation says.
// Numbers given for a resource.Quantity are accepted and stored as strings, as Go round-trips them.
import type { Model, ModelField } from "../openapi/catalog.js";
import { parseModelName } from "../openapi/naming.js";
import { isObject } from "../object.js";

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

export function goName(type: string, format: string): string {
  const array = ARRAY.exec(type);
  if (array) return `[]${goName(array[1], "")}`;
  const map = MAP.exec(type);
  if (map) return `map[string]${goName(map[1], "")}`;
  if (type === "number") return format === "int32" || format === "int64" ? format : "float64";
  if (type === "boolean") return "bool";
  if (type === "Date") return "v1.Time";
  if (type === "IntOrString") return "intstr.IntOrString";
  if (type === QUANTITY) return "resource.Quantity";
  if (type === "string" || type === "any") return type === "any" ? "interface {}" : "string";
  return `v1.${parseModelName(type)?.short ?? type}`;
}

export function jsonName(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (isObject(value)) return "object";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return "number";
  return "string";
}

interface Where {
  struct: string;
  path: string;
}

function fits(catalog: ReadonlyMap<string, Model>, type: string, format: string, value: unknown): boolean {
  if (value === null || type === "any") return true;
  if (ARRAY.test(type)) return Array.isArray(value);
  if (MAP.test(type) || catalog.has(type)) return isObject(value);
  if (type === "number") return typeof value === "number" && (!format.startsWith("int") || Number.isInteger(value));
  if (type === "boolean") return typeof value === "boolean";
  if (type === "IntOrString") return typeof value === "string" || (typeof value === "number" && Number.isInteger(value));
  // resource.Quantity unmarshals from a JSON number too (`storage: 1` in YAML is fine).
  if (type === QUANTITY) return typeof value === "string" || typeof value === "number";
  return typeof value === "string";
}

export const QUANTITY = "Quantity";

/**
 * Fields that are resource.Quantity in Go but plain strings in the client-node models the
 * catalog comes from: resource lists (requests, limits, capacity, quota hard/used, limit
 * ranges) and emptyDir's sizeLimit.
 */
const QUANTITY_MAP_FIELDS = new Set(["limits", "requests", "capacity", "allocatable", "hard", "used", "max", "min", "default", "defaultRequest", "maxLimitRequestRatio", "overhead"]);
const STRING_MAP = "{ [key: string]: string; }";

export function effectiveType(field: ModelField): string {
  if (field.type === STRING_MAP && QUANTITY_MAP_FIELDS.has(field.jsonName)) return `{ [key: string]: ${QUANTITY}; }`;
  if (field.type === "string" && field.jsonName === "sizeLimit") return QUANTITY;
  return field.type;
}

/** The first type mismatch in Go's words ("json: cannot unmarshal bool into Go struct field …"), if any. */
export function goTypeError(catalog: ReadonlyMap<string, Model>, model: string, value: unknown, path = ""): string | undefined {
  const m = catalog.get(model);
  if (!m || !isObject(value)) return undefined;
  const struct = parseModelName(model)?.short ?? model;
  const fields = new Map<string, ModelField>(m.fields.map((f) => [f.jsonName, f]));
  for (const [key, v] of Object.entries(value)) {
    const field = fields.get(key);
    if (!field) continue;
    const type = effectiveType(field);
    const error = checkValue(catalog, type, field.format, v, { struct, path: path === "" ? key : `${path}.${key}` });
    if (error) return error;
    if (type === QUANTITY && typeof v === "number") value[key] = String(v);
  }
  return undefined;
}

function checkValue(catalog: ReadonlyMap<string, Model>, type: string, format: string, value: unknown, at: Where): string | undefined {
  if (!fits(catalog, type, format, value)) {
    const what = typeof value === "number" && jsonName(value) === "number" && type === "number" ? `number ${String(value)}` : jsonName(value);
    return `json: cannot unmarshal ${what} into Go struct field ${at.struct}.${at.path} of type ${goName(type, format)}`;
  }
  const array = ARRAY.exec(type);
  if (array && Array.isArray(value)) {
    for (const item of value) {
      const error = checkValue(catalog, array[1], "", item, at);
      if (error) return error;
    }
    return undefined;
  }
  const map = MAP.exec(type);
  if (map && isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const error = checkValue(catalog, map[1], "", item, at);
      if (error) return error;
      // Go decodes a number into a Quantity and encodes it back as a string: store what a client reads.
      if (map[1] === QUANTITY && typeof item === "number") value[key] = String(item);
    }
    return undefined;
  }
  return catalog.has(type) ? goTypeError(catalog, type, value, at.path) : undefined;
}
