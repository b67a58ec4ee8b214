// The fields an Update writes and which of them it changed, in one walk over the new object
// beside the old one, as a tree of path elements (the shape of FieldsV1). Same sets as
// `fieldsOf(obj)` filtered by comparing `valueAt(old, path)` with `valueAt(obj, path)` for
// every path, without re-reading each path from the root or building path strings.
import { isSetList, mergeKeyFor } from "../patch/mergeKeys.js";
import { deepEqual, isObject, type JsonObject } from "../object.js";
import { IGNORED_META, IGNORED_TOP, inPathOrder, type FieldSet, type WalkOptions } from "./fieldset.js";

/** One path element of the new object's fields. */
export class FieldNode {
  kids?: Map<string, FieldNode>;
  /** The path to here is a field of the new object (fieldsOf has it). */
  leaf = false;
  /** ...whose value differs from the old object's (or there is no old object). */
  changed = false;

  child(el: string): FieldNode {
    this.kids ??= new Map();
    let next = this.kids.get(el);
    if (!next) {
      next = new FieldNode();
      this.kids.set(el, next);
    }
    return next;
  }
}

export interface FieldDiff {
  root: FieldNode;
  /** How many paths changed. */
  changes: number;
  /** Some field name holds a "\n": path strings split differently from the tree. */
  splits: boolean;
}

const SEP = "\n";
const SELF = ".";

interface Walk {
  options: WalkOptions;
  /** Field names from the root: map keys add theirs, list items none. */
  names: string[];
  hasOld: boolean;
  diff: FieldDiff;
}

/**
 * Walks obj. Beside each value travel what valueAt would find at its path in obj (`mine`) and
 * in old (`theirs`): usually the value itself, but a keyed list item is looked up by its key
 * (the first item with it), as valueAt does.
 */
export function diffFields(obj: JsonObject, old: JsonObject | undefined, options: WalkOptions): FieldDiff {
  const w: Walk = { options, names: [], hasOld: old !== undefined, diff: { root: new FieldNode(), changes: 0, splits: false } };
  walk(w, obj, w.diff.root, obj, old);
  return w.diff;
}

function add(w: Walk, node: FieldNode, changed: boolean): void {
  // A path seen twice (keyed items sharing a key) compares the same values both times.
  if (node.leaf) return;
  node.leaf = true;
  if (changed || !w.hasOld) {
    node.changed = true;
    w.diff.changes++;
  }
}

function field(v: unknown, name: string): unknown {
  return isObject(v) ? v[name] : undefined;
}

function walk(w: Walk, value: unknown, node: FieldNode, mine: unknown, theirs: unknown): void {
  if (!isObject(value)) {
    add(w, node, !deepEqual(theirs, mine));
    return;
  }
  const keys = Object.keys(value);
  const root = node === w.diff.root;
  if (keys.length === 0 && !root) add(w, node, !deepEqual(theirs, mine));
  // A map's "." changes only when the map appears; its contents have paths of their own.
  else if (!root && w.options.isMap?.(w.names)) add(w, node.child(SELF), theirs === undefined);
  const inMetadata = w.names.length === 1 && w.names[0] === "metadata";
  for (const k of keys) {
    if (root && IGNORED_TOP.has(k)) continue;
    if (inMetadata && IGNORED_META.has(k)) continue;
    if (k.includes(SEP)) w.diff.splits = true;
    w.names.push(k);
    walkField(w, value[k], node.child(`f:${k}`), field(mine, k), field(theirs, k));
    w.names.pop();
  }
}

function walkField(w: Walk, value: unknown, node: FieldNode, mine: unknown, theirs: unknown): void {
  if (!Array.isArray(value) || !w.options.keyedLists) {
    walk(w, value, node, mine, theirs);
    return;
  }
  const name = w.names[w.names.length - 1];
  if (isSetList(name) && value.every((v) => typeof v !== "object")) {
    // valueAt finds a set value by its JSON round trip; scalars survive it unchanged.
    for (const v of value) add(w, node.child(`v:${JSON.stringify(v)}`), !deepEqual(setMember(theirs, v), setMember(mine, v)));
    return;
  }
  const key = mergeKeyFor(w.names.slice(0, -1), name);
  if (!key || value.some((item) => !isObject(item) || item[key] === undefined)) {
    walk(w, value, node, mine, theirs);
    return;
  }
  for (const item of value) {
    if (!isObject(item)) continue;
    const id = item[key];
    const itemNode = node.child(`k:${JSON.stringify({ [key]: id })}`);
    const itemTheirs = keyedItem(theirs, key, id);
    add(w, itemNode.child(SELF), itemTheirs === undefined);
    walk(w, item, itemNode, keyedItem(mine, key, id), itemTheirs);
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

/** Paths of the leaves `want` selects, as strings. */
export function pathsOf(root: FieldNode, want: (node: FieldNode) => boolean): FieldSet {
  const out: FieldSet = new Set();
  const visit = (node: FieldNode, path: string) => {
    if (node.leaf && path !== "" && want(node)) out.add(path);
    if (node.kids) for (const [el, kid] of node.kids) visit(kid, path === "" ? el : `${path}${SEP}${el}`);
  };
  visit(root, "");
  return out;
}

function isEmpty(obj: JsonObject): boolean {
  for (const _ in obj) return false;
  return true;
}

/**
 * Whether every leaf of a (canonical) FieldsV1 tree is a field of the new object and
 * unchanged; with `changedOk`, changed ones count as kept too (the writer takes them back).
 */
export function keepsAll(tree: JsonObject, node: FieldNode, changedOk: boolean): boolean {
  for (const el in tree) {
    const sub = tree[el];
    const next = node.kids?.get(el);
    if (!next || !isObject(sub)) return false;
    if (isEmpty(sub)) {
      if (!next.leaf || (next.changed && !changedOk)) return false;
    } else if (!keepsAll(sub, next, changedOk)) return false;
  }
  return true;
}

/** Whether every changed path of the diff is a leaf of the tree (the writer owned it already). */
export function ownsChanges(node: FieldNode, tree: JsonObject | undefined): boolean {
  if (node.changed && (tree === undefined || !isEmpty(tree))) return false;
  if (!node.kids) return true;
  for (const [el, kid] of node.kids) {
    const sub = tree?.[el];
    if (!ownsChanges(kid, isObject(sub) ? sub : undefined)) return false;
  }
  return true;
}

interface Built {
  tree: JsonObject;
  /** The path to here is itself one of the fields (not only a prefix of some). */
  own: boolean;
}

/**
 * toFieldsV1 of an entry's fields after the write, from the tree: the new object's unchanged
 * fields the entry had (`had`, a canonical FieldsV1 tree, is its leaves) and, for the writer,
 * the changed ones. Keys go in toFieldsV1's order. Not for a diff that `splits`.
 */
export function fieldsAfter(root: FieldNode, had: JsonObject | undefined, takes: boolean): JsonObject | undefined {
  return build(root, had, takes)?.tree;
}

function build(node: FieldNode, had: JsonObject | undefined, takes: boolean): Built | undefined {
  const own = node.leaf && (node.changed ? takes : had !== undefined && isEmpty(had));
  const kids: [string, Built][] = [];
  if (node.kids) {
    for (const [el, kid] of node.kids) {
      const sub = had?.[el];
      const built = build(kid, isObject(sub) ? sub : undefined, takes);
      if (built) kids.push([el, built]);
    }
  }
  if (!own && kids.length === 0) return undefined;
  kids.sort(([a, x], [b, y]) => (inPathOrder(a, x.own, b, y.own) ? -1 : 1));
  const tree: JsonObject = {};
  for (const [el, built] of kids) tree[el] = built.tree;
  return { tree, own };
}
