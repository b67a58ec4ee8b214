// The slow paths the write fast paths replace, kept as written before, so tests can compare
// the two on many inputs: recordUpdate by fieldsOf + valueAt per path, the map predicate by
// re-reading type expressions, decoding by goTypeError then pruneUnknownFields.
import type { Model } from "../../../../orchestrator/apiserver/openapi/catalog.js";
import { deepEqual, type JsonObject } from "../../../../orchestrator/apiserver/object.js";
import { fieldsOf, valueAt, type FieldSet } from "../../../../orchestrator/apiserver/ssa/fieldset.js";
import { readManaged, writeManaged, type RecordOptions } from "../../../../orchestrator/apiserver/ssa/managed.js";
import type { MapPredicate } from "../../../../orchestrator/apiserver/ssa/mapFields.js";
import { goTypeError } from "../../../../orchestrator/apiserver/validation/goTypes.js";
import { pruneUnknownFields } from "../../../../orchestrator/apiserver/validation/unknownFields.js";

function changedPath(old: JsonObject | undefined, obj: JsonObject, path: string): boolean {
  if (!old) return true;
  if (path.endsWith(`\n.`)) return valueAt(old, path) === undefined;
  return !deepEqual(valueAt(old, path), valueAt(obj, path));
}

export function referenceDiff(obj: JsonObject, old: JsonObject | undefined, options: Pick<RecordOptions, "keyedLists" | "isMap">): { current: FieldSet; changed: FieldSet } {
  const current = fieldsOf(obj, { keyedLists: options.keyedLists, isMap: options.isMap });
  const changed: FieldSet = new Set();
  for (const p of current) if (changedPath(old, obj, p)) changed.add(p);
  return { current, changed };
}

export function referenceRecordUpdate(obj: JsonObject, options: RecordOptions): void {
  const { current, changed } = referenceDiff(obj, options.old, options);
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

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

function typeAt(catalog: ReadonlyMap<string, Model>, model: string, names: string[]): string | undefined {
  let type = model;
  for (const name of names) {
    const array = ARRAY.exec(type);
    if (array) type = array[1];
    const map = MAP.exec(type);
    if (map) {
      type = map[1];
      continue;
    }
    const field = catalog.get(type)?.fields.find((f) => f.jsonName === name);
    if (!field) return undefined;
    type = field.type;
  }
  const array = ARRAY.exec(type);
  return array ? array[1] : type;
}

export function referenceBuiltinMaps(catalog: ReadonlyMap<string, Model>, model: string): MapPredicate {
  return (names) => {
    const type = typeAt(catalog, model, names);
    return type !== undefined && MAP.test(type);
  };
}

/** What checkUnknownFields did: the type check over the whole object, then the pruning. */
export function referenceDecode(catalog: ReadonlyMap<string, Model>, obj: JsonObject, options: { model?: string; schema?: JsonObject }): { typeError?: string; unknown: string[] } {
  const typeError = options.model ? goTypeError(catalog, options.model, obj) : undefined;
  if (typeError) return { typeError, unknown: [] };
  return { unknown: pruneUnknownFields(obj, { catalog, ...options }) };
}
