// Strategic merge patch for built-in kinds: lists with a merge key (containers by name, ports
// by containerPort / port, …) merge item by item, and the directives kubectl sends with
// `apply` are honoured: $patch (replace | delete | merge), $setElementOrder/<field>,
// $retainKeys and $deleteFromPrimitiveList/<field>.
import { badRequest } from "../errors.js";
import { clone, deepEqual, isObject, type JsonObject } from "../object.js";
import { isSetList, mergeKeyFor } from "./mergeKeys.js";

const ORDER = "$setElementOrder/";
const DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

export function strategicMergePatch(original: JsonObject, patch: unknown): JsonObject {
  if (!isObject(patch)) throw badRequest("strategic merge patch: expected a JSON object");
  const result = mergeMap(original, patch, []);
  return isObject(result) ? result : {};
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObject(x) && x.$patch !== undefined && Object.keys(x).length === 1)).map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "$patch" || k === "$retainKeys" || k.startsWith(ORDER) || k.startsWith(DELETE_PRIMITIVE)) continue;
    if (x !== null) out[k] = stripDirectives(x);
  }
  return out;
}

function mergeMap(original: unknown, patch: JsonObject, names: string[]): unknown {
  if (patch.$patch === "replace") return stripDirectives(patch);
  if (patch.$patch === "delete") return undefined;
  const result: JsonObject = isObject(original) ? { ...original } : {};
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys.map(String));
    for (const k of Object.keys(result)) if (!keep.has(k)) delete result[k];
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys" || k.startsWith(ORDER)) continue;
    if (k.startsWith(DELETE_PRIMITIVE)) {
      const field = k.slice(DELETE_PRIMITIVE.length);
      const drop = Array.isArray(v) ? v : [];
      if (Array.isArray(result[field])) result[field] = result[field].filter((x: unknown) => !drop.some((d) => deepEqual(d, x)));
      continue;
    }
    if (v === null) delete result[k];
    else if (Array.isArray(v)) result[k] = mergeList(result[k], v, [...names, k]);
    else if (isObject(v)) {
      const merged = mergeMap(result[k], v, [...names, k]);
      if (merged === undefined) delete result[k];
      else result[k] = merged;
    } else result[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(ORDER) && Array.isArray(v)) {
      const field = k.slice(ORDER.length);
      if (Array.isArray(result[field])) result[field] = reorder(result[field], v, mergeKeyFor(names, field));
    }
  }
  return result;
}

function mergeList(original: unknown, patch: unknown[], names: string[]): unknown[] {
  const field = names[names.length - 1];
  const orig = Array.isArray(original) ? original : [];
  if (patch.some((x) => isObject(x) && x.$patch === "replace")) return patch.filter((x) => !(isObject(x) && x.$patch === "replace")).map(stripDirectives);
  if (isSetList(field) && patch.every((x) => !isObject(x))) {
    const out = [...orig];
    for (const x of patch) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  }
  const key = mergeKeyFor(names.slice(0, -1), field);
  if (!key || !patch.every((x) => isObject(x))) return clone(patch).map(stripDirectives);
  const out = orig.map((x) => x);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = out.findIndex((x) => isObject(x) && deepEqual(x[key], item[key]));
    if (item.$patch === "delete") {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    const merged = mergeMap(index >= 0 ? out[index] : {}, item, names);
    if (index >= 0) out[index] = merged;
    else out.push(merged);
  }
  return out;
}

/** Orders items as listed in $setElementOrder; items not listed keep their relative order at the end. */
function reorder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const id = (x: unknown) => JSON.stringify(key && isObject(x) ? x[key] : x);
  const rank = new Map(order.map((o, i) => [id(o), i]));
  return list
    .map((x, i) => ({ x, i, r: rank.get(id(x)) ?? order.length + i }))
    .sort((a, b) => a.r - b.r)
    .map((e) => e.x);
}
