// Turns catalogue models into OpenAPI schema definitions, Swagger 2.0 ("definitions",
// plain $ref) or OpenAPI 3.0 ("components/schemas", $ref wrapped in allOf as Kubernetes
// does when a description sits beside it). Only models reachable from the requested roots
// are emitted, so each group-version document stays small.
import type { Model, ModelField } from "./catalog.js";
import { definitionName, INT_OR_STRING_DEF, MICROTIME_DEF, parseModelName, TIME_DEF } from "./naming.js";
import { patchExtensions } from "./patchMeta.js";

export type Schema = Record<string, unknown>;
export type Dialect = "v2" | "v3";

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** Assigns definition names to every model reachable from the seeds, first owner wins. */
export function assignDefinitionNames(catalog: ReadonlyMap<string, Model>, seeds: Array<{ model: string; pkg: string }>): Map<string, string> {
  const names = new Map<string, string>();
  const visit = (model: string, pkg: string): void => {
    const m = catalog.get(model);
    if (!m || names.has(model)) return;
    names.set(model, definitionName(model, pkg));
    const ownerPkg = parseModelName(model)?.prefix ?? pkg;
    for (const f of m.fields) for (const ref of referencedModels(f.type)) visit(ref, ownerPkg);
  };
  for (const s of seeds) visit(s.model, s.pkg);
  return names;
}

function referencedModels(type: string): string[] {
  const arr = ARRAY.exec(type) ?? MAP.exec(type);
  if (arr) return referencedModels(arr[1]);
  return /^[A-Z]/.test(type) && type !== "Date" && type !== "IntOrString" ? [type] : [];
}

export interface SchemaBuilderOptions {
  dialect: Dialect;
  catalog: ReadonlyMap<string, Model>;
  names: ReadonlyMap<string, string>;
}

export class SchemaBuilder {
  private readonly out = new Map<string, Schema>();
  private readonly gvks = new Map<string, GroupVersionKind[]>();

  constructor(private readonly options: SchemaBuilderOptions) {}

  get dialect(): Dialect {
    return this.options.dialect;
  }

  ref(definition: string): string {
    return this.options.dialect === "v2" ? `#/definitions/${definition}` : `#/components/schemas/${definition}`;
  }

  /** Adds a model and everything it references; returns its definition name. */
  addModel(model: string, gvk?: GroupVersionKind): string | undefined {
    const name = this.options.names.get(model);
    const m = this.options.catalog.get(model);
    if (!name || !m) return undefined;
    if (gvk) this.gvks.set(name, [...(this.gvks.get(name) ?? []), gvk]);
    if (this.out.has(name)) return name;
    this.out.set(name, {});
    this.out.set(name, this.modelSchema(m));
    return name;
  }

  /** Adds a schema built elsewhere (a CRD's). */
  addRaw(name: string, schema: Schema, gvk?: GroupVersionKind): void {
    this.out.set(name, schema);
    if (gvk) this.gvks.set(name, [...(this.gvks.get(name) ?? []), gvk]);
  }

  /** The definitions, sorted by name, with group-version-kind extensions attached. */
  build(): Record<string, Schema> {
    const result: Record<string, Schema> = {};
    for (const name of [...this.out.keys()].sort()) {
      const gvk = this.gvks.get(name);
      const schema = this.out.get(name) ?? {};
      result[name] = gvk ? { ...schema, "x-kubernetes-group-version-kind": gvk } : schema;
    }
    return result;
  }

  private modelSchema(m: Model): Schema {
    const short = parseModelName(m.name)?.short ?? m.name;
    const properties: Record<string, Schema> = {};
    for (const f of m.fields) properties[f.jsonName] = this.fieldSchema(f, short);
    const required = m.fields.filter((f) => f.required).map((f) => f.jsonName);
    const schema: Schema = {};
    if (m.description) schema.description = m.description;
    if (m.fields.length > 0) schema.properties = properties;
    if (required.length > 0) schema.required = required;
    schema.type = "object";
    return schema;
  }

  private fieldSchema(f: ModelField, typeShort: string): Schema {
    const schema = this.typeSchema(f.type, f.format, true);
    const withDoc = f.description ? { ...schema, description: f.description } : schema;
    return { ...withDoc, ...patchExtensions(typeShort, f.jsonName) };
  }

  private typeSchema(type: string, format: string, topLevel: boolean): Schema {
    const arr = ARRAY.exec(type);
    if (arr) return { type: "array", items: this.typeSchema(arr[1], itemFormat(format), false) };
    const map = MAP.exec(type);
    if (map) return { type: "object", additionalProperties: this.typeSchema(map[1], "", false) };
    switch (type) {
      case "string":
        return format === "byte" ? { type: "string", format: "byte" } : { type: "string" };
      case "boolean":
        return { type: "boolean" };
      case "number":
        return format === "double" ? { type: "number", format: "double" } : { type: "integer", ...(format ? { format } : {}) };
      case "any":
        return this.options.dialect === "v2" ? { type: "object" } : { type: "object", "x-kubernetes-preserve-unknown-fields": true };
      case "Date":
        return this.refSchema(this.addSpecial(format === "date-time-micro" ? "MicroTime" : "Time"), topLevel);
      case "IntOrString":
        return this.refSchema(this.addSpecial("IntOrString"), topLevel);
    }
    const name = this.addModel(type);
    return name ? this.refSchema(name, topLevel) : { type: "object" };
  }

  private refSchema(name: string, topLevel: boolean): Schema {
    if (this.options.dialect === "v2") return { $ref: this.ref(name) };
    // Kubernetes wraps a $ref in allOf whenever siblings (description, default) sit beside it.
    return topLevel ? { allOf: [{ $ref: this.ref(name) }] } : { allOf: [{ $ref: this.ref(name) }], default: {} };
  }

  private addSpecial(kind: "Time" | "MicroTime" | "IntOrString"): string {
    const specials = {
      Time: { name: TIME_DEF, schema: { description: "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.", type: "string", format: "date-time" } },
      MicroTime: { name: MICROTIME_DEF, schema: { description: "MicroTime is version of Time with microsecond level precision.", type: "string", format: "date-time" } },
      IntOrString: { name: INT_OR_STRING_DEF, schema: { description: "IntOrString is a type that can hold an int32 or a string.", type: "string", format: "int-or-string" } },
    };
    const s = specials[kind];
    if (!this.out.has(s.name)) this.out.set(s.name, s.schema);
    return s.name;
  }
}

function itemFormat(format: string): string {
  return format === "int32" || format === "int64" || format === "byte" || format === "double" ? format : "";
}
