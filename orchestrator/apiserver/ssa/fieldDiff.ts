// The fields an Update writes and which of them it changed, in one walk over the new object
// beside the old one. Same sets as `fieldsOf(obj)` filtered by comparing `valueAt(old, path)`
// with `valueAt(obj, path)` for every path, without re-reading each path from the root.
import { isSetList, mergeKeyFor } from "../patch/mergeKeys.js";
import { deepEqual, isObject, type JsonObject } from "../object.js";
import { IGNORED_META, IGNORED_TOP, type FieldSet, type WalkOptions } from "./fieldset.js";

export interface FieldDiff {
  /** Every path of the new object (fieldsOf). */
  current: FieldSet;
  /** The paths whose value differs from the old object's (all of them on create). */
  changed: FieldSet;
}

const SEP = "\n";
const SELF = ".";

interface Walk {
  options: WalkOptions;
  /** Field names from the root: map keys add theirs, list items none. */
  names: string[];
  hasOld: boolean;
  out: FieldDiff;
}

/**
 * Walks obj. Beside each value travel what valueAt would find at its path in obj (`mine`) and
 * in old (`theirs`): usually the value itself, but a keyed list item is looked up by its key
 * (the first item with it), as valueAt does.
 */
export function diffFields(obj: JsonObject, old: JsonObject | undefined, options: WalkOptions): FieldDiff {
  const w: Walk = { options, names: [], hasOld: old !== undefined, out: { current: new Set(), changed: new Set() } };
  walk(w, obj, "", obj, old);
  return w.out;
}

function add(w: Walk, path: string, changed: boolean): void {
  w.out.current.add(path);
  if (changed || !w.hasOld) w.out.changed.add(path);
}

function join(path: string, el: string): string {
  return path === "" ? el : `${path}${SEP}${el}`;
}

function field(v: unknown, name: string): unknown {
  return isObject(v) ? v[name] : undefined;
}

function walk(w: Walk, value: unknown, path: string, mine: unknown, theirs: unknown): void {
  if (!isObject(value)) {
    add(w, path, !deepEqual(theirs, mine));
    return;
  }
  const keys = Object.keys(value);
  const root = path === "";
  if (keys.length === 0 && !root) add(w, path, !deepEqual(theirs, mine));
  // A map's "." changes only when the map appears; its contents have paths of their own.
  else if (!root && w.options.isMap?.(w.names)) add(w, join(path, SELF), theirs === undefined);
  const inMetadata = w.names.length === 1 && path === "f:metadata";
  for (const k of keys) {
    if (root && IGNORED_TOP.has(k)) continue;
    if (inMetadata && IGNORED_META.has(k)) continue;
    w.names.push(k);
    walkField(w, value[k], join(path, `f:${k}`), field(mine, k), field(theirs, k));
    w.names.pop();
  }
}

function walkField(w: Walk, value: unknown, path: string, mine: unknown, theirs: unknown): void {
  if (!Array.isArray(value) || !w.options.keyedLists) {
    walk(w, value, path, mine, theirs);
    return;
  }
  const name = w.names[w.names.length - 1];
  if (isSetList(name) && value.every((v) => typeof v !== "object")) {
    for (const v of value) {
      const el = `v:${JSON.stringify(v)}`;
      // valueAt finds a set value by its JSON round trip; scalars survive it unchanged.
      add(w, join(path, el), !deepEqual(setMember(theirs, v), setMember(mine, v)));
    }
    return;
  }
  const key = mergeKeyFor(w.names.slice(0, -1), name);
  if (!key || value.some((item) => !isObject(item) || item[key] === undefined)) {
    walk(w, value, path, mine, theirs);
    return;
  }
  for (const item of value) {
    if (!isObject(item)) continue;
    const id = item[key];
    const itemPath = join(path, `k:${JSON.stringify({ [key]: id })}`);
    const itemTheirs = keyedItem(theirs, key, id);
    add(w, join(itemPath, SELF), itemTheirs === undefined);
    walk(w, item, itemPath, keyedItem(mine, key, id), itemTheirs);
  }
}

function setMember(list: unknown, v: unknown): unknown {
  return Array.isArray(list) && list.includes(v) ? v : undefined;
}

/** valueAt's lookup of a `k:` element: the first item whose key is the JSON round trip of id. */
function keyedItem(list: unknown, key: string, id: unknown): unknown {
  if (!Array.isArray(list)) return undefined;
  // An object or array key comes back from JSON.parse as a new value, equal to no item.
  if (typeof id === "object" && id !== null) return undefined;
  return list.find((item) => isObject(item) && item[key] === id);
}
