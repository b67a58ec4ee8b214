// Server-side apply: merge the applied configuration into the live object, take ownership
// of its fields for the manager, remove fields the manager applied before and no longer
// does (when no one else owns them), and refuse to change fields another manager owns unless
// forced (409 with one cause per field).
import { ApiError, type StatusCause } from "../errors.js";
import { clone, deepEqual, isObject, meta, type JsonObject } from "../object.js";
import { mergePatch } from "../patch/merge.js";
import { strategicMergePatch } from "../patch/strategic.js";
import { describePath, fieldsOf, valueAt, type FieldSet } from "./fieldset.js";
import { readManaged, writeManaged, type ManagedEntry } from "./managed.js";

export interface ApplyOptions {
  manager: string;
  force: boolean;
  keyedLists: boolean;
  apiVersion: string;
  time: string;
  subresource?: string;
}

function conflicts(old: JsonObject, applied: JsonObject, mine: FieldSet, entries: ManagedEntry[], options: ApplyOptions): { entry: ManagedEntry; path: string }[] {
  const found: { entry: ManagedEntry; path: string }[] = [];
  for (const e of entries) {
    if (e.manager === options.manager && e.operation === "Apply") continue;
    for (const path of mine) {
      if (path.endsWith("\n.")) continue;
      if (e.fields.has(path) && !deepEqual(valueAt(old, path), valueAt(applied, path))) found.push({ entry: e, path });
    }
  }
  return found;
}

function conflictError(list: { entry: ManagedEntry; path: string }[]): ApiError {
  const causes: StatusCause[] = list.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with "${c.entry.manager}"${c.entry.operation === "Update" ? ` using ${c.entry.apiVersion}` : ""}`, field: describePath(c.path) }));
  const lines = causes.map((c) => `${c.message}: ${c.field ?? ""}`);
  const text = lines.length === 1 ? lines[0] : `\n${lines.map((l) => `- ${l}`).join("\n")}`;
  return new ApiError(409, "Conflict", `Apply failed with ${list.length} conflict${list.length === 1 ? "" : "s"}: ${text}`, { causes });
}

/** Deletes one owned path from obj (a map key, a keyed list item, or a set value). */
function removePath(obj: JsonObject, path: string): void {
  const els = path.split("\n");
  const itemMarker = els[els.length - 1] === ".";
  const target = itemMarker ? els.slice(0, -1) : els;
  const parent = valueAt(obj, target.slice(0, -1).join("\n"));
  const last = target[target.length - 1];
  if (last.startsWith("f:") && isObject(parent)) delete parent[last.slice(2)];
  else if ((last.startsWith("k:") || last.startsWith("v:")) && Array.isArray(parent)) {
    const item = valueAt(obj, target.join("\n"));
    const index = parent.findIndex((x) => x === item || deepEqual(x, item));
    if (index >= 0) parent.splice(index, 1);
  }
}

export function applyConfiguration(old: JsonObject | undefined, applied: JsonObject, options: ApplyOptions): JsonObject {
  const appliedFields = fieldsOf(applied, { keyedLists: options.keyedLists });
  const entries = readManaged(old);
  if (old) {
    const found = conflicts(old, applied, appliedFields, entries, options);
    if (found.length > 0 && !options.force) throw conflictError(found);
    for (const c of found) c.entry.fields.delete(c.path);
  }
  const base = old ? clone(old) : {};
  const merged = options.keyedLists ? strategicMergePatch(base, applied) : mergeOrReplace(base, applied);
  const previous = entries.find((e) => e.manager === options.manager && e.operation === "Apply" && e.subresource === options.subresource);
  if (previous) {
    const others = entries.filter((e) => e !== previous);
    const stale = [...previous.fields].filter((p) => !appliedFields.has(p) && !others.some((e) => e.fields.has(p)));
    for (const p of stale.sort((a, b) => b.length - a.length)) removePath(merged, p);
  }
  const kept = entries.filter((e) => e !== previous);
  for (const e of kept) for (const p of appliedFields) if (!p.endsWith("\n.") && !deepEqual(valueAt(old, p), valueAt(applied, p))) e.fields.delete(p);
  const mine: ManagedEntry = { manager: options.manager, operation: "Apply", apiVersion: options.apiVersion, time: options.time, fields: appliedFields };
  if (options.subresource) mine.subresource = options.subresource;
  writeManaged(merged, [...kept, mine]);
  if (old) meta(merged).resourceVersion = meta(applied).resourceVersion ?? meta(old).resourceVersion;
  return merged;
}

/** Custom resources: maps merge, every list is atomic (no merge keys without a schema). */
function mergeOrReplace(base: JsonObject, applied: JsonObject): JsonObject {
  const result = mergePatch(base, applied);
  return isObject(result) ? result : {};
}
