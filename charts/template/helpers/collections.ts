// List and map helpers with Sprig's semantics. `merge` is mergo's Merge without override:
// it fills keys that are missing or empty in the first map from the later ones, recursing
// into maps, and (like Sprig) changes and returns the first map.
import { isDeepStrictEqual } from "node:util";
import { deepCopy, goTypeName, isEmpty, isPlainObject, strval, type PlainObject } from "./goValues.js";
import { helper, intArg, type HelperCall, type HelperTable } from "./spec.js";

function mapArg(value: unknown, what: string, call: HelperCall): PlainObject {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) return call.fail(`${call.name}: ${what}: expected a map, got ${goTypeName(value)}`);
  return value;
}

function listArg(value: unknown, call: HelperCall): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return call.fail(`${call.name}: expected a list, got ${goTypeName(value)}`);
  return value;
}

export function mergeInto(dst: PlainObject, src: PlainObject): PlainObject {
  for (const [key, value] of Object.entries(src)) {
    const current = dst[key];
    if (isPlainObject(current) && isPlainObject(value)) mergeInto(current, value);
    else if (isEmpty(current)) dst[key] = deepCopy(value);
  }
  return dst;
}

function dict(args: unknown[]): PlainObject {
  const out: PlainObject = {};
  for (let i = 0; i < args.length; i += 2) out[strval(args[i])] = i + 1 < args.length ? args[i + 1] : "";
  return out;
}

/** Sprig's until: 0..n-1, counting down for a negative n. */
function until(n: number): number[] {
  const step = n < 0 ? -1 : 1;
  const out: number[] = [];
  for (let i = 0; step > 0 ? i < n : i > n; i += step) out.push(i);
  return out;
}

function length(value: unknown, call: HelperCall): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (Buffer.isBuffer(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  return call.fail(`len: cannot take the length of ${goTypeName(value)}`);
}

export const collectionHelpers: HelperTable = {
  list: helper(0, Infinity, (args) => [...args]),
  dict: helper(0, Infinity, (args) => dict(args)),
  get: helper(2, 2, ([m, key], call) => {
    const map = mapArg(m, "map", call);
    const k = strval(key);
    return Object.hasOwn(map, k) ? map[k] : "";
  }),
  hasKey: helper(2, 2, ([m, key], call) => Object.hasOwn(mapArg(m, "map", call), strval(key))),
  keys: helper(1, Infinity, (args, call) => args.flatMap((m, i) => Object.keys(mapArg(m, `argument ${i + 1}`, call))).sort()),
  merge: helper(1, Infinity, ([dst, ...srcs], call) => {
    const target = mapArg(dst, "destination", call);
    srcs.forEach((src, i) => mergeInto(target, mapArg(src, `argument ${i + 2}`, call)));
    return target;
  }),
  pluck: helper(1, Infinity, ([key, ...maps], call) => {
    const k = strval(key);
    return maps.map((m, i) => mapArg(m, `argument ${i + 2}`, call)).filter((m) => Object.hasOwn(m, k)).map((m) => m[k]);
  }),
  first: helper(1, 1, ([l], call) => listArg(l, call)[0]),
  last: helper(1, 1, ([l], call) => {
    const list = listArg(l, call);
    return list[list.length - 1];
  }),
  has: helper(2, 2, ([needle, haystack], call) => listArg(haystack, call).some((v) => isDeepStrictEqual(v, needle))),
  until: helper(1, 1, ([n], call) => until(intArg(n, "count", call))),
  len: helper(1, 1, ([v], call) => length(v, call)),
};
