// metadata.managedFields upkeep: who owns which field, updated on every write the way
// kube-apiserver does (a writer takes the fields it changed; fields that vanish lose owners).
import { arrayOf, deepEqual, isObject, meta, type JsonObject } from "../object.js";
import { diffFields, fieldsAfter, keepsAll, ownsChanges, pathsOf, type FieldDiff } from "./fieldDiff.js";
import { fieldsOf, fromFieldsV1, isCanonicalFieldsV1, toFieldsV1, valueAt, type FieldSet } from "./fieldset.js";

export type Operation = "Apply" | "Update";

export interface ManagedEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string;
  fields: FieldSet;
  subresource?: string;
}

export function readManaged(obj: JsonObject | undefined): ManagedEntry[] {
  if (!obj || !isObject(obj.metadata)) return [];
  const out: ManagedEntry[] = [];
  for (const e of arrayOf(obj.metadata.managedFields)) {
    if (!isObject(e) || typeof e.manager !== "string") continue;
    const entry: ManagedEntry = { ...entryHead(e, e.manager), fields: fromFieldsV1(e.fieldsV1) };
    out.push(entry);
  }
  return out;
}

type EntryHead = Omit<ManagedEntry, "fields">;

function entryHead(e: JsonObject, manager: string): EntryHead {
  const head: EntryHead = {
    manager,
    operation: e.operation === "Apply" ? "Apply" : "Update",
    apiVersion: typeof e.apiVersion === "string" ? e.apiVersion : "v1",
    time: typeof e.time === "string" ? e.time : "",
  };
  if (typeof e.subresource === "string") head.subresource = e.subresource;
  return head;
}

function entryJson(e: EntryHead, fieldsV1: JsonObject): JsonObject {
  const out: JsonObject = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: "FieldsV1", fieldsV1 };
  if (e.subresource) out.subresource = e.subresource;
  return out;
}

export function writeManaged(obj: JsonObject, entries: ManagedEntry[]): void {
  const kept = entries.filter((e) => e.fields.size > 0);
  const m = meta(obj);
  if (kept.length === 0) {
    delete m.managedFields;
    return;
  }
  m.managedFields = kept.map((e) => entryJson(e, toFieldsV1(e.fields)));
}

export interface RecordOptions {
  old?: JsonObject;
  manager: string;
  apiVersion: string;
  time: string;
  keyedLists: boolean;
  subresource?: string;
  isMap?: (names: string[]) => boolean;
}

/**
 * Records an Update-operation write of obj (already merged with old) by manager: the writer
 * takes the fields it changed, others keep theirs unless changed or gone. An entry that ends
 * with the fields it had (another manager untouched, or a writer changing only fields it
 * already owned) keeps its stored FieldsV1, checked against the diff without building paths.
 */
export function recordUpdate(obj: JsonObject, options: RecordOptions): void {
  const diff = diffFields(obj, options.old, { keyedLists: options.keyedLists, isMap: options.isMap });
  if (diff.splits) {
    recordByPaths(obj, options);
    return;
  }
  const stored = isObject(options.old?.metadata) ? arrayOf(options.old.metadata.managedFields) : [];
  const heads: { head: EntryHead; fieldsV1: unknown }[] = [];
  for (const e of stored) if (isObject(e) && typeof e.manager === "string") heads.push({ head: entryHead(e, e.manager), fieldsV1: e.fieldsV1 });
  let mine = heads.find(({ head: e }) => e.manager === options.manager && e.operation === "Update" && e.subresource === options.subresource);
  if (!mine) {
    const head: EntryHead = { manager: options.manager, operation: "Update", apiVersion: options.apiVersion, time: options.time };
    if (options.subresource) head.subresource = options.subresource;
    mine = { head, fieldsV1: undefined };
    heads.push(mine);
  }
  if (diff.changes > 0) mine.head.time = options.time;
  const out: JsonObject[] = [];
  for (const e of heads) {
    const fieldsV1 = keptFields(diff, e.fieldsV1, e === mine);
    if (fieldsV1) out.push(entryJson(e.head, fieldsV1));
  }
  const m = meta(obj);
  if (out.length === 0) delete m.managedFields;
  else m.managedFields = out;
}

/** An entry's FieldsV1 after the write (undefined when it owns nothing any more). */
function keptFields(diff: FieldDiff, fieldsV1: unknown, writer: boolean): JsonObject | undefined {
  const takes = writer && diff.changes > 0;
  if (fieldsV1 === undefined) return fieldsAfter(diff.root, undefined, takes);
  if (!isObject(fieldsV1) || !isCanonicalFieldsV1(fieldsV1)) return keptPaths(diff, fieldsV1, takes);
  if (keepsAll(fieldsV1, diff.root, takes) && (!takes || ownsChanges(diff.root, fieldsV1))) {
    return Object.keys(fieldsV1).length > 0 ? fieldsV1 : undefined;
  }
  return fieldsAfter(diff.root, fieldsV1, takes);
}

/** The same by path strings, for a stored FieldsV1 not as toFieldsV1 writes it. */
function keptPaths(diff: FieldDiff, fieldsV1: unknown, takes: boolean): JsonObject | undefined {
  const current = pathsOf(diff.root, () => true);
  const changed = pathsOf(diff.root, (node) => node.changed);
  const fields: FieldSet = new Set();
  for (const p of fromFieldsV1(fieldsV1)) if (current.has(p) && !changed.has(p)) fields.add(p);
  if (takes) for (const p of changed) fields.add(p);
  return fields.size > 0 ? toFieldsV1(fields) : undefined;
}

/** A "." entry changes only when its map or list item appears; its contents have paths of their own. */
function changedPath(old: JsonObject | undefined, obj: JsonObject, path: string): boolean {
  if (!old) return true;
  if (path.endsWith(`\n.`)) return valueAt(old, path) === undefined;
  return !deepEqual(valueAt(old, path), valueAt(obj, path));
}

/**
 * recordUpdate by path strings, for an object with a "\n" in a field name: its paths split
 * ambiguously, and this is how they have always been read (valueAt splits them too).
 */
function recordByPaths(obj: JsonObject, options: RecordOptions): void {
  const current = fieldsOf(obj, { keyedLists: options.keyedLists, isMap: options.isMap });
  const changed: FieldSet = new Set();
  for (const p of current) if (changedPath(options.old, obj, p)) changed.add(p);
  const entries = readManaged(options.old).map((e) => ({ ...e, fields: new Set([...e.fields].filter((p) => current.has(p) && !changed.has(p))) }));
  let mine = entries.find((e) => e.manager === options.manager && e.operation === "Update" && e.subresource === options.subresource);
  if (!mine) {
    mine = { manager: options.manager, operation: "Update", apiVersion: options.apiVersion, time: options.time, fields: new Set() };
    if (options.subresource) mine.subresource = options.subresource;
    entries.push(mine);
  }
  if (changed.size > 0) mine.time = options.time;
  for (const p of changed) mine.fields.add(p);
  writeManaged(obj, entries);
}
