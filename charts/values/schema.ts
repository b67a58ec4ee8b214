// Validation of values against each chart's values.schema.json, as Helm does on every render:
// the top-level chart's schema against the whole values tree, each enabled subchart's schema
// against its section (recursively). All violations of all charts are collected into one
// SchemaError. The draft is picked by `$schema`: 2020-12 and 2019-09 by their URIs, anything
// else with draft-07 rules (ajv's default; draft-04/06 schemas are close enough in practice).
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { SchemaError } from "../../core/errors.js";
import type { Chart, Values } from "../model.js";
import { describeValue, getOwn, isTable, typeName } from "./tree.js";

export interface SchemaViolation {
  /** The chart whose schema failed (its alias for an aliased subchart). */
  chart: string;
  /** The value's path inside that chart's values, e.g. "image.tag"; "(root)" for the whole. */
  path: string;
  message: string;
}

const addFormats = addFormatsModule.default;

type Draft = "draft-07" | "2019-09" | "2020-12";

// Validators compiled once per process: renders run often and compiling is slow. Looked up by
// the schema object (shared by aliased copies of a subchart), then by the schema's text so a
// chart loaded again (every GitOps sync) reuses its validator. The text cache is bounded and
// evicted schemas are removed from ajv, which otherwise keeps every schema it compiled.
const MAX_COMPILED = 128;
const byObject = new WeakMap<object, ValidateFunction>();
const byText = new Map<string, { validate: ValidateFunction; draft: Draft; source: object }>();
const engines = new Map<Draft, Ajv>();

/** Every violation of the schemas of `chart` and its subcharts; [] when all pass. */
export function schemaViolations(chart: Chart, values: Values): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  collect(chart, values, violations);
  return violations;
}

/** Throws one SchemaError listing every violation, Helm's message first. */
export function validateValues(chart: Chart, values: Values): void {
  const violations = schemaViolations(chart, values);
  if (violations.length === 0) return;
  const lines = violations.map((v) => `${v.chart}: ${v.path}: ${v.message}`);
  throw new SchemaError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${lines.join("\n")}`);
}

function collect(chart: Chart, values: Values, out: SchemaViolation[]): void {
  const name = chart.metadata.name;
  if (chart.schema !== undefined) {
    const validate = validatorFor(chart);
    // Validate plain JSON data, as Helm does (it converts values to JSON first).
    if (!validate(JSON.parse(JSON.stringify(values)))) {
      for (const error of dedupe(validate.errors ?? [])) out.push({ chart: name, ...describeError(error) });
    }
  }
  for (const sub of chart.dependencies) {
    const section = getOwn(values, sub.metadata.name);
    collect(sub, isTable(section) ? section : {}, out);
  }
}

function validatorFor(chart: Chart): ValidateFunction {
  const schema = chart.schema ?? {};
  const cached = byObject.get(schema);
  if (cached) return cached;
  const draft = draftOf(schema.$schema);
  const text = `${draft}\n${JSON.stringify(schema)}`;
  const known = byText.get(text);
  if (known) {
    byText.delete(text);
    byText.set(text, known);
    byObject.set(schema, known.validate);
    return known.validate;
  }
  // An unknown $schema (draft-04, draft-06) would make ajv refuse the schema; read it as draft-07.
  const source = draft === "draft-07" && schema.$schema !== undefined && !isDraft07(schema.$schema) ? withoutMeta(schema) : schema;
  let validate: ValidateFunction;
  try {
    validate = engine(draft).compile(source);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new SchemaError(`${chart.metadata.name}: values.schema.json: invalid schema: ${reason}`, { cause: err });
  }
  byObject.set(schema, validate);
  byText.set(text, { validate, draft, source });
  evictOldest();
  return validate;
}

function evictOldest(): void {
  for (const [text, entry] of byText) {
    if (byText.size <= MAX_COMPILED) return;
    byText.delete(text);
    engine(entry.draft).removeSchema(entry.source);
  }
}

function draftOf(meta: unknown): Draft {
  if (typeof meta !== "string") return "draft-07";
  if (meta.includes("2020-12")) return "2020-12";
  if (meta.includes("2019-09")) return "2019-09";
  return "draft-07";
}

function isDraft07(meta: unknown): boolean {
  return typeof meta === "string" && meta.includes("draft-07");
}

function withoutMeta(schema: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...schema };
  delete copy.$schema;
  return copy;
}

function engine(draft: Draft): Ajv {
  const existing = engines.get(draft);
  if (existing) return existing;
  // strict: false because real charts carry keywords ajv does not know (form, x-*, ...);
  // verbose: true puts the failing value in each error (for the message); addUsedSchema: false
  // so two charts with the same $id do not collide.
  const options = { allErrors: true, verbose: true, strict: false, addUsedSchema: false };
  const created = draft === "2020-12" ? new Ajv2020(options) : draft === "2019-09" ? new Ajv2019(options) : new Ajv(options);
  addFormats(created);
  engines.set(draft, created);
  return created;
}

/** ajv repeats some errors (e.g. under anyOf); one line per distinct violation is enough. */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeError(error: ErrorObject): { path: string; message: string } {
  const params: Record<string, unknown> = error.params;
  const segments = pointerSegments(error.instancePath);
  const got = `${typeName(error.data)} ${describeValue(error.data)}`;
  switch (error.keyword) {
    case "type":
      return { path: valuePath(segments), message: `expected ${String(params.type).replace(/,/g, " or ")}, got ${got}` };
    case "required":
      return { path: valuePath([...segments, String(params.missingProperty)]), message: "required value is missing" };
    case "additionalProperties":
    case "unevaluatedProperties": {
      const extra = String(params.additionalProperty ?? params.unevaluatedProperty);
      return { path: valuePath([...segments, extra]), message: "additional property is not allowed" };
    }
    case "enum":
      return {
        path: valuePath(segments),
        message: `must be one of ${describeValue(params.allowedValues)}, got ${describeValue(error.data)}`,
      };
    default:
      return { path: valuePath(segments), message: `${error.message ?? error.keyword}, got ${describeValue(error.data)}` };
  }
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Helm's (gojsonschema's) field style: dotted, list indexes as segments, "(root)" for the top. */
function valuePath(segments: string[]): string {
  return segments.length === 0 ? "(root)" : segments.join(".");
}
