// Table responses (meta.k8s.io/v1 Table), which kubectl asks for on every `get`: column
// definitions plus one row of cells per object, built-in kinds with kubectl's columns, custom
// resources with their CRD's additionalPrinterColumns.
import type { ApiEnv, PrinterColumn } from "../context.js";
import { badRequest } from "../errors.js";
import { getPath, type JsonObject } from "../object.js";
import { JsonBody, type ObjectWriter } from "../rawJson.js";
import type { KeyValue } from "../../store/types.js";
import type { ResourceInfo } from "../types.js";
import { BUILTIN_COLUMNS, type Column } from "./columns.js";
import { MORE_COLUMNS } from "./moreColumns.js";
import { customColumns } from "./custom.js";
import { age } from "./format.js";

export interface TableInput {
  env: ApiEnv;
  info: ResourceInfo;
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

const INCLUDE_OBJECT = new Set(["", "None", "Object", "Metadata"]);

/** The ?includeObject= value, checked up front as kube-apiserver does (400 for others). */
export function checkIncludeObject(value: string | undefined): void {
  if (value !== undefined && !INCLUDE_OBJECT.has(value)) throw badRequest(`unrecognized includeObject value: ${JSON.stringify(value)}`);
}

/** One stored object of a Table: parsed for its cells; `revision` overrides its resourceVersion. */
export interface TableRow {
  kv: KeyValue;
  obj: JsonObject;
  revision?: number;
}

/**
 * The Table as response bytes: cells from each parsed object, row objects (PartialObjectMetadata
 * by default, the object with includeObject=Object) spliced from the stored text by `writer`.
 */
export function tableBody(input: TableInput, rows: readonly TableRow[], writer: ObjectWriter): Buffer {
  checkIncludeObject(input.includeObject);
  const columns = columnsFor(input.env, input.info);
  const version = input.version ?? "v1";
  const definitions = columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? "", description: c.description ?? "", priority: c.priority ?? 0 }));
  const body = new JsonBody().text(`{"kind":"Table","apiVersion":"meta.k8s.io/${version}","metadata":${JSON.stringify(input.listMeta)},"columnDefinitions":${JSON.stringify(definitions)},"rows":[`);
  rows.forEach((row, i) => {
    body.text(`${i > 0 ? "," : ""}{"cells":${JSON.stringify(columns.map((c) => c.cell(row.obj)))}`);
    if (input.includeObject === "Object") writer.object(body.ascii(',"object":'), row.kv, row.revision);
    else if (input.includeObject !== "None") writer.partial(body.ascii(',"object":'), row.kv, version, row.revision);
    body.ascii("}");
  });
  return body.ascii("]}").toBuffer();
}
