// Table responses (meta.k8s.io/v1 Table), which kubectl asks for on every `get`: column
// definitions plus one row of cells per object, built-in kinds with kubectl's columns, custom
// resources with their CRD's additionalPrinterColumns.
import type { ApiEnv, PrinterColumn } from "../context.js";
import { badRequest } from "../errors.js";
import { getPath, meta, type JsonObject } from "../object.js";
import type { ResourceInfo } from "../types.js";
import { BUILTIN_COLUMNS, type Column } from "./columns.js";
import { MORE_COLUMNS } from "./moreColumns.js";
import { customColumns } from "./custom.js";
import { age } from "./format.js";

export interface TableInput {
  env: ApiEnv;
  info: ResourceInfo;
  items: JsonObject[];
  listMeta: JsonObject;
  /** "None" | "Object" | "Metadata" (default: PartialObjectMetadata). */
  includeObject?: string;
  /** meta.k8s.io version asked for (default v1). */
  version?: string;
}

const NAME: Column = { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", cell: (o) => String(getPath(o, ["metadata", "name"]) ?? "") };

function ageColumn(now: number): Column {
  return { name: "Age", type: "string", description: "CreationTimestamp is a timestamp representing the server time when this object was created.", cell: (o) => age(now, getPath(o, ["metadata", "creationTimestamp"])) };
}

export function columnsFor(env: ApiEnv, info: ResourceInfo): Column[] {
  const now = env.clock.now();
  if (info.custom) {
    const printer: PrinterColumn[] = env.custom.printerColumns(info) ?? [];
    return [NAME, ...customColumns(printer, now), ...(printer.length === 0 ? [ageColumn(now)] : [])];
  }
  const key = `${info.group}/${info.kind}`;
  const builtin = BUILTIN_COLUMNS[key] ?? MORE_COLUMNS[key];
  return builtin ? builtin(now) : [NAME, ageColumn(now)];
}

function rowObject(obj: JsonObject, includeObject: string | undefined, apiVersion: string): unknown {
  if (includeObject === "None") return undefined;
  if (includeObject === "Object") return obj;
  return { kind: "PartialObjectMetadata", apiVersion, metadata: meta(obj) };
}

const INCLUDE_OBJECT = new Set(["", "None", "Object", "Metadata"]);

/** The ?includeObject= value, checked up front as kube-apiserver does (400 for others). */
export function checkIncludeObject(value: string | undefined): void {
  if (value !== undefined && !INCLUDE_OBJECT.has(value)) throw badRequest(`unrecognized includeObject value: ${JSON.stringify(value)}`);
}

export function toTable(input: TableInput): JsonObject {
  checkIncludeObject(input.includeObject);
  const columns = columnsFor(input.env, input.info);
  const apiVersion = `meta.k8s.io/${input.version ?? "v1"}`;
  return {
    kind: "Table",
    apiVersion,
    metadata: input.listMeta,
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? "", description: c.description ?? "", priority: c.priority ?? 0 })),
    rows: input.items.map((obj) => {
      const row: JsonObject = { cells: columns.map((c) => c.cell(obj)) };
      const object = rowObject(obj, input.includeObject, apiVersion);
      if (object !== undefined) row.object = object;
      return row;
    }),
  };
}
