// CRD additionalPrinterColumns: simple JSONPath (`.spec.replicas`, `.status.conditions[0].type`)
// evaluated per object; date columns print as ages like kubectl does.
import type { PrinterColumn } from "../context.js";
import { isObject, type JsonObject } from "../object.js";
import type { Column } from "./columns.js";
import { age } from "./format.js";

export function evalJsonPath(obj: JsonObject, path: string): unknown {
  const trimmed = path.replace(/^\{?\$?\.?/, "").replace(/\}$/, "");
  let cur: unknown = obj;
  for (const part of trimmed.split(".").filter((p) => p !== "")) {
    const m = /^([^[\]]+)((\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    cur = isObject(cur) ? cur[m[1]] : undefined;
    for (const idx of m[2].match(/\d+/g) ?? []) cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
  }
  return cur;
}

export function customColumns(printer: PrinterColumn[], now: number): Column[] {
  return printer.map((p) => ({
    name: p.name,
    type: p.type,
    format: p.format,
    description: p.description,
    priority: p.priority,
    cell: (obj: JsonObject) => {
      const v = evalJsonPath(obj, p.jsonPath);
      if (v === undefined || v === null) return null;
      if (p.type === "date") return age(now, v);
      if (typeof v === "object") return JSON.stringify(v);
      return p.type === "string" ? String(v) : v;
    },
  }));
}
