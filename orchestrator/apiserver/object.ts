// Plain JSON object helpers: objects arrive as untyped JSON and stay JSON; these guards keep
// access honest without casts at every use.
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function child(obj: JsonObject, key: string): JsonObject {
  const v = obj[key];
  if (isObject(v)) return v;
  const created: JsonObject = {};
  obj[key] = created;
  return created;
}

export function getPath(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function objectOf(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

export function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === "string") out[k] = val;
  return out;
}

/**
 * A deep copy. Objects here are JSON (parsed request bodies and stored values), which a
 * plain recursive copy handles several times faster than structuredClone; anything that is
 * not a plain object or array (a Date, a Map, a class instance) still goes to structuredClone.
 */
export function clone<T>(v: T): T {
  return cloneValue(v) as T;
}

function cloneValue(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) {
    const n = v.length;
    const out: unknown[] = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = cloneValue(v[i]);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || !isObject(v)) return structuredClone(v);
  const src = v;
  const out: JsonObject = {};
  for (const k in src) {
    // An own "__proto__" key (JSON.parse makes one) must stay a key, not become the prototype.
    if (k === "__proto__") Object.defineProperty(out, k, { value: cloneValue(src[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = cloneValue(src[k]);
  }
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The metadata block of an object, created when missing. */
export function meta(obj: JsonObject): JsonObject {
  return child(obj, "metadata");
}

export function metaString(obj: JsonObject, field: string): string | undefined {
  return str(getPath(obj, ["metadata", field]));
}
