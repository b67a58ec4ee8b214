// Small helpers over values trees (what YAML and JSON parse to), shared by the values code.
// A "table" is Helm's word for a map of values; arrays and scalars are leaves.
import type { Values } from "../model.js";

export function isTable(value: unknown): value is Values {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `table[key]` for an own key only: "__proto__" or "constructor" never reach Object.prototype. */
export function getOwn(table: Values, key: string): unknown {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** `table[key] = value`, except that a "__proto__" key becomes a plain key, not a prototype. */
export function setOwn(table: Values, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(table, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    table[key] = value;
  }
}

/** A deep copy of plain data, so that merging never reaches into a caller's objects. */
export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Helm's MergeMaps (used between -f files and for --set-json objects): `overlay` wins, maps
 * merge recursively, every other type (lists included, and null) replaces. Inputs are not
 * changed.
 */
export function mergeMaps(base: Values, overlay: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = getOwn(out, key);
    setOwn(out, key, isTable(value) && isTable(current) ? mergeMaps(current, value) : value);
  }
  return out;
}

/** The value at a dotted path (`a.b.c`), or undefined when any step is missing. */
export function pathValue(values: Values, path: string): unknown {
  let current: unknown = values;
  for (const part of path.split(".")) {
    if (!isTable(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** The table at a dotted path, or undefined when the path is missing or not a table. */
export function tableAt(values: Values, path: string): Values | undefined {
  const found = pathValue(values, path);
  return isTable(found) ? found : undefined;
}

/** JSON Schema's name for a value's type, as users see it in messages. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (isTable(value)) return "object";
  return typeof value;
}

/** A short rendering of a value for an error message. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
