// metadata.managedFields upkeep: who owns which field, updated on every write the way
// kube-apiserver does (a writer takes the fields it changed; fields that vanish lose owners).
import { arrayOf, isObject, meta, type JsonObject } from "../object.js";
import { diffFields } from "./fieldDiff.js";
import { fromFieldsV1, readFieldsV1, toFieldsV1, type FieldSet } from "./fieldset.js";

export type Operation = "Apply" | "Update";

export interface ManagedEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string;
  fields: FieldSet;
  subresource?: string;
}

/** An entry as read for an Update, keeping its stored FieldsV1 while writing fields back would give exactly it. */
interface StoredEntry extends ManagedEntry {
  stored?: JsonObject;
}

function readEntries(obj: JsonObject | undefined, keepStored: boolean): StoredEntry[] {
  if (!obj || !isObject(obj.metadata)) return [];
  const out: StoredEntry[] = [];
  for (const e of arrayOf(obj.metadata.managedFields)) {
    if (!isObject(e) || typeof e.manager !== "string") continue;
    const read = keepStored ? readFieldsV1(e.fieldsV1) : { fields: fromFieldsV1(e.fieldsV1), canonical: false };
    const entry: StoredEntry = {
      manager: e.manager,
      operation: e.operation === "Apply" ? "Apply" : "Update",
      apiVersion: typeof e.apiVersion === "string" ? e.apiVersion : "v1",
      time: typeof e.time === "string" ? e.time : "",
      fields: read.fields,
    };
    if (typeof e.subresource === "string") entry.subresource = e.subresource;
    if (read.canonical && isObject(e.fieldsV1)) entry.stored = e.fieldsV1;
    out.push(entry);
  }
  return out;
}

export function readManaged(obj: JsonObject | undefined): ManagedEntry[] {
  return readEntries(obj, false);
}

export function writeManaged(obj: JsonObject, entries: StoredEntry[]): void {
  const kept = entries.filter((e) => e.fields.size > 0);
  const m = meta(obj);
  if (kept.length === 0) {
    delete m.managedFields;
    return;
  }
  m.managedFields = kept.map((e) => {
    const out: JsonObject = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fieldsType: "FieldsV1", fieldsV1: e.stored ?? toFieldsV1(e.fields) };
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

/**
 * Records an Update-operation write of obj (already merged with old) by manager: the writer
 * takes the fields it changed, others keep theirs unless changed or gone. Entries whose fields
 * stay as they were keep their stored FieldsV1 instead of being rebuilt.
 */
export function recordUpdate(obj: JsonObject, options: RecordOptions): void {
  const { current, changed } = diffFields(obj, options.old, { keyedLists: options.keyedLists, isMap: options.isMap });
  const read = readEntries(options.old, true);
  const entries = read.map((e): StoredEntry => {
    const fields: FieldSet = new Set();
    for (const p of e.fields) if (current.has(p) && !changed.has(p)) fields.add(p);
    return { ...e, fields };
  });
  let mine = entries.find((e) => e.manager === options.manager && e.operation === "Update" && e.subresource === options.subresource);
  if (!mine) {
    mine = { manager: options.manager, operation: "Update", apiVersion: options.apiVersion, time: options.time, fields: new Set() };
    if (options.subresource) mine.subresource = options.subresource;
    entries.push(mine);
  }
  if (changed.size > 0) mine.time = options.time;
  for (const p of changed) mine.fields.add(p);
  // An entry that ends with the fields it had (a writer changing only fields it already
  // owned, or another manager untouched) keeps its stored FieldsV1.
  entries.forEach((e, i) => {
    if (e.stored && !sameFields(e.fields, read[i].fields)) e.stored = undefined;
  });
  writeManaged(obj, entries);
}

function sameFields(a: FieldSet, b: FieldSet): boolean {
  if (a.size !== b.size) return false;
  for (const p of a) if (!b.has(p)) return false;
  return true;
}
