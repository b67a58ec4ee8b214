// metadata.managedFields upkeep: who owns which field, updated on every write the way
// kube-apiserver does (a writer takes the fields it changed; fields that vanish lose owners).
import { arrayOf, isObject, meta, type JsonObject } from "../object.js";
import { fieldsOf, fromFieldsV1, toFieldsV1, valueAt, type FieldSet } from "./fieldset.js";
import { deepEqual } from "../object.js";

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
    const entry: ManagedEntry = {
      manager: e.manager,
      operation: e.operation === "Apply" ? "Apply" : "Update",
      apiVersion: typeof e.apiVersion === "string" ? e.apiVersion : "v1",
      time: typeof e.time === "string" ? e.time : "",
      fields: fromFieldsV1(e.fieldsV1),
    };
    if (typeof e.subresource === "string") entry.subresource = e.subresource;
    out.push(entry);
  }
  return out;
}

export function writeManaged(obj: JsonObject, entries: ManagedEntry[]): void {
  const kept = entries.filter((e) => e.fields.size > 0);
  const m = meta(obj);
  if (kept.length === 0) {
    delete m.managedFields;
    return;
  }
  m.managedFields = kept.map((e) => {
    const out: JsonObject = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: "FieldsV1", fieldsV1: toFieldsV1(e.fields) };
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
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

/** A "." entry changes only when its map or list item appears; its contents have paths of their own. */
function changedPath(old: JsonObject | undefined, obj: JsonObject, path: string): boolean {
  if (!old) return true;
  if (path.endsWith(`\n.`)) return valueAt(old, path) === undefined;
  return !deepEqual(valueAt(old, path), valueAt(obj, path));
}

/** Records an Update-operation write of obj (already merged with old) by manager. */
export function recordUpdate(obj: JsonObject, options: RecordOptions): void {
  const current = fieldsOf(obj, { keyedLists: options.keyedLists, isMap: options.isMap });
  const changed: FieldSet = new Set();
  for (const p of current) {
    if (changedPath(options.old, obj, p)) changed.add(p);
  }
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
