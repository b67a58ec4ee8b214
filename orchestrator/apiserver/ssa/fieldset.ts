// Field ownership sets as server-side apply keeps them: paths of f:field / k:{key} / v:value
// elements, serialised to and from the FieldsV1 JSON found in metadata.managedFields.
import { mergeKeyFor, isSetList } from "../patch/mergeKeys.js";
import { isObject, type JsonObject } from "../object.js";

/** A set of owned paths; each path is its elements joined by "\n". */
export type FieldSet = Set<string>;

const SEP = "\n";
const SELF = ".";

export interface WalkOptions {
  /** Built-in kinds merge keyed lists; custom resources treat every list as atomic. */
  keyedLists: boolean;
  /** Objects that get a "." entry of their own when non-empty (maps, in Update records). */
  isMap?: (names: string[]) => boolean;
}

function itemKey(item: unknown, key: string): string | undefined {
  if (!isObject(item) || item[key] === undefined) return undefined;
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

/** Every leaf path of obj, with "." entries for keyed list items (as kube-apiserver records). */
export function fieldsOf(obj: JsonObject, options: WalkOptions): FieldSet {
  const out: FieldSet = new Set();
  walk(obj, [], [], out, options);
  return out;
}

function walk(value: unknown, path: string[], names: string[], out: FieldSet, options: WalkOptions): void {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && path.length > 0) out.add(path.join(SEP));
    else if (path.length > 0 && options.isMap?.(names)) out.add([...path, SELF].join(SEP));
    for (const k of keys) {
      if (path.length === 0 && IGNORED_TOP.has(k)) continue;
      if (path.length === 1 && path[0] === "f:metadata" && IGNORED_META.has(k)) continue;
      walkField(value[k], [...path, `f:${k}`], [...names, k], out, options);
    }
    return;
  }
  out.add(path.join(SEP));
}

function walkField(value: unknown, path: string[], names: string[], out: FieldSet, options: WalkOptions): void {
  if (!Array.isArray(value) || !options.keyedLists) {
    walk(value, path, names, out, options);
    return;
  }
  const field = names[names.length - 1];
  if (isSetList(field) && value.every((v) => typeof v !== "object")) {
    for (const v of value) out.add([...path, `v:${JSON.stringify(v)}`].join(SEP));
    return;
  }
  const key = mergeKeyFor(names.slice(0, -1), field);
  const keys = key ? value.map((v) => itemKey(v, key)) : [];
  if (!key || keys.some((k) => k === undefined)) {
    out.add(path.join(SEP));
    return;
  }
  value.forEach((item, i) => {
    const itemPath = [...path, String(keys[i])];
    out.add([...itemPath, SELF].join(SEP));
    walk(item, itemPath, names, out, options);
  });
}

export const IGNORED_TOP: ReadonlySet<string> = new Set(["apiVersion", "kind", "status"]);
export const IGNORED_META: ReadonlySet<string> = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"]);

export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const path of [...set].sort()) {
    let cur = root;
    for (const el of path.split(SEP)) {
      const next = cur[el];
      if (isObject(next)) cur = next;
      else {
        const created: JsonObject = {};
        cur[el] = created;
        cur = created;
      }
    }
  }
  return root;
}

export function fromFieldsV1(fields: unknown): FieldSet {
  const out: FieldSet = new Set();
  const visit = (node: unknown, path: string[]) => {
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) out.add(path.join(SEP));
    for (const k of keys) visit(node[k], [...path, k]);
  };
  visit(fields, []);
  return out;
}

/**
 * Whether a FieldsV1 tree is exactly what toFieldsV1 writes for its leaves (so it can be kept
 * as it is): every node an object, no key that would split or escape (a "\n" in it,
 * "__proto__"), and each node's keys in the order toFieldsV1 inserts them, that of their
 * smallest leaf path, decided here from the keys alone.
 */
export function isCanonicalFieldsV1(tree: unknown): boolean {
  return isObject(tree) && canonicalNode(tree);
}

function canonicalNode(node: JsonObject): boolean {
  let previous: string | undefined;
  let previousLeaf = false;
  for (const k in node) {
    const child = node[k];
    if (!isObject(child) || k.includes(SEP) || k === "__proto__") return false;
    const leaf = Object.keys(child).length === 0;
    if (!leaf && !canonicalNode(child)) return false;
    if (previous !== undefined && !inPathOrder(previous, previousLeaf, k, leaf)) return false;
    previous = k;
    previousLeaf = leaf;
  }
  return true;
}

/**
 * Whether sibling a's smallest leaf path sorts before b's: a leaf's is its key, another's its
 * key, "\n", then more. Only when one key is a prefix of the other does that "\n" decide.
 */
export function inPathOrder(a: string, aLeaf: boolean, b: string, bLeaf: boolean): boolean {
  if (b.startsWith(a)) return aLeaf || b.charCodeAt(a.length) > SEP.charCodeAt(0);
  if (a.startsWith(b)) return !bLeaf && a.charCodeAt(b.length) < SEP.charCodeAt(0);
  return a < b;
}

/** Human form of a path for conflict messages: `.spec.replicas`, `.spec.containers[name="app"].image`. */
export function describePath(path: string): string {
  return path
    .split(SEP)
    .filter((el) => el !== SELF)
    .map((el) => {
      if (el.startsWith("f:")) return `.${el.slice(2)}`;
      if (el.startsWith("k:")) {
        const key: unknown = JSON.parse(el.slice(2));
        return isObject(key) ? `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}]` : el;
      }
      if (el.startsWith("v:")) return `[${el.slice(2)}]`;
      return el;
    })
    .join("");
}

export function valueAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const el of path.split(SEP)) {
    if (el === SELF) continue;
    if (el.startsWith("f:")) cur = isObject(cur) ? cur[el.slice(2)] : undefined;
    else if (el.startsWith("k:")) {
      const key: unknown = JSON.parse(el.slice(2));
      if (!Array.isArray(cur) || !isObject(key)) return undefined;
      const [k, v] = Object.entries(key)[0] ?? [];
      cur = cur.find((item) => isObject(item) && k !== undefined && item[k] === v);
    } else if (el.startsWith("v:")) {
      const v: unknown = JSON.parse(el.slice(2));
      cur = Array.isArray(cur) && cur.includes(v) ? v : undefined;
    }
  }
  return cur;
}
