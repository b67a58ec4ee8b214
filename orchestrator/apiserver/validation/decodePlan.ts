// What kube-apiserver's decoder does to a built-in object, in one pass over it: check every
// declared field's JSON type against its Go type (goTypes.ts), store numbers given for a
// Quantity as strings, and drop the fields the type does not declare (unknownFields.ts).
// Each model's fields are compiled once into a plan, so a request walks its object against
// ready-made nodes instead of re-reading the catalogue's type expressions.
import type { Model } from "../openapi/catalog.js";
import { parseModelName } from "../openapi/naming.js";
import { isObject, type JsonObject } from "../object.js";
import { effectiveType, goName, jsonName, QUANTITY } from "./goTypes.js";

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

type Scalar = "any" | "number" | "int" | "boolean" | "intOrString" | "quantity" | "string";

type TypeNode =
  | { kind: "scalar"; scalar: Scalar; goName: string; isNumber: boolean }
  | { kind: "array"; item: TypeNode; goName: string }
  | { kind: "map"; value: TypeNode; goName: string }
  | { kind: "struct"; model: string; goName: string };

interface StructPlan {
  /** The Go struct's name in messages ("PodSpec"). */
  short: string;
  fields: Map<string, TypeNode>;
}

export interface DecodeResult {
  /** The first type mismatch in Go's words; when set, the object is rejected (and half pruned). */
  typeError?: string;
  /** Paths of the dropped fields in document order ("spec.containers[0].bogus"). */
  unknown: string[];
}

export interface DecodeOptions {
  /** Check JSON types (built-in kinds); false only prunes (a custom resource's metadata). */
  checkTypes: boolean;
  /** Path of obj in messages ("metadata"); "" for a whole object. */
  path?: string;
}

/** Compiled plans per catalogue; a catalogue is loaded once and never changes. */
const plans = new WeakMap<ReadonlyMap<string, Model>, Map<string, StructPlan | null>>();

function scalarOf(type: string, format: string): Scalar {
  if (type === "any") return "any";
  if (type === "number") return format.startsWith("int") ? "int" : "number";
  if (type === "boolean") return "boolean";
  if (type === "IntOrString") return "intOrString";
  if (type === QUANTITY) return "quantity";
  return "string";
}

// Mirrors goTypes.ts `fits` and `checkValue`: arrays, then maps, then catalogue structs, then scalars.
function compileType(catalog: ReadonlyMap<string, Model>, type: string, format: string): TypeNode {
  const name = goName(type, format);
  const array = ARRAY.exec(type);
  if (array) return { kind: "array", item: compileType(catalog, array[1], ""), goName: name };
  const map = MAP.exec(type);
  if (map) return { kind: "map", value: compileType(catalog, map[1], ""), goName: name };
  if (catalog.has(type)) return { kind: "struct", model: type, goName: name };
  return { kind: "scalar", scalar: scalarOf(type, format), goName: name, isNumber: type === "number" };
}

function planOf(catalog: ReadonlyMap<string, Model>, model: string): StructPlan | undefined {
  let byModel = plans.get(catalog);
  if (!byModel) {
    byModel = new Map();
    plans.set(catalog, byModel);
  }
  let plan = byModel.get(model);
  if (plan === undefined) {
    const m = catalog.get(model);
    plan = m ? { short: parseModelName(model)?.short ?? model, fields: new Map(m.fields.map((f) => [f.jsonName, compileType(catalog, effectiveType(f), f.format)])) } : null;
    byModel.set(model, plan);
  }
  return plan ?? undefined;
}

function fitsScalar(scalar: Scalar, value: unknown): boolean {
  switch (scalar) {
    case "any":
      return true;
    case "number":
      return typeof value === "number";
    case "int":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "intOrString":
      return typeof value === "string" || (typeof value === "number" && Number.isInteger(value));
    // resource.Quantity unmarshals from a JSON number too (`storage: 1` in YAML is fine).
    case "quantity":
      return typeof value === "string" || typeof value === "number";
    default:
      return typeof value === "string";
  }
}

function fits(node: TypeNode, value: unknown): boolean {
  if (value === null) return true;
  if (node.kind === "array") return Array.isArray(value);
  if (node.kind === "scalar") return fitsScalar(node.scalar, value);
  return isObject(value);
}

/**
 * Where the walk is: segments of the prune path ("spec", "[0]", "[key]") and, for each,
 * whether it is a struct field (Go's messages name only fields: "spec.containers.image").
 */
class Cursor {
  readonly segments: string[] = [];
  readonly isField: boolean[] = [];

  constructor(
    private readonly base: string,
    readonly unknown: string[],
  ) {}

  push(segment: string, field: boolean): void {
    this.segments.push(segment);
    this.isField.push(field);
  }

  pop(): void {
    this.segments.pop();
    this.isField.pop();
  }

  prunePath(): string {
    let out = this.base;
    for (let i = 0; i < this.segments.length; i++) {
      const s = this.segments[i];
      out = !this.isField[i] ? `${out}[${s}]` : out === "" ? s : `${out}.${s}`;
    }
    return out;
  }

  goPath(): string {
    let out = this.base;
    for (let i = 0; i < this.segments.length; i++) if (this.isField[i]) out = out === "" ? this.segments[i] : `${out}.${this.segments[i]}`;
    return out;
  }
}

interface Walk {
  catalog: ReadonlyMap<string, Model>;
  check: boolean;
  at: Cursor;
}

function mismatch(w: Walk, struct: string, node: TypeNode, value: unknown): string {
  const what = typeof value === "number" && node.kind === "scalar" && node.isNumber ? `number ${String(value)}` : jsonName(value);
  return `json: cannot unmarshal ${what} into Go struct field ${struct}.${w.at.goPath()} of type ${node.goName}`;
}

function walkStruct(w: Walk, plan: StructPlan, obj: JsonObject): string | undefined {
  for (const key in obj) {
    const node = plan.fields.get(key);
    w.at.push(key, true);
    if (node === undefined) {
      w.at.unknown.push(w.at.prunePath());
      delete obj[key];
      w.at.pop();
      continue;
    }
    const value = obj[key];
    const error = walkValue(w, plan.short, node, value);
    w.at.pop();
    if (error !== undefined) return error;
    if (w.check && node.kind === "scalar" && node.scalar === "quantity" && typeof value === "number") obj[key] = String(value);
  }
  return undefined;
}

/** `struct` is the innermost struct's name, which Go's message names along with the field path. */
function walkValue(w: Walk, struct: string, node: TypeNode, value: unknown): string | undefined {
  if (w.check && !fits(node, value)) return mismatch(w, struct, node, value);
  if (node.kind === "array") {
    if (!Array.isArray(value)) return undefined;
    for (let i = 0; i < value.length; i++) {
      w.at.push(String(i), false);
      const error = walkValue(w, struct, node.item, value[i]);
      w.at.pop();
      if (error !== undefined) return error;
    }
    return undefined;
  }
  if (node.kind === "map") return isObject(value) ? walkMap(w, struct, node.value, value) : undefined;
  if (node.kind === "struct" && isObject(value)) {
    const plan = planOf(w.catalog, node.model);
    return plan ? walkStruct(w, plan, value) : undefined;
  }
  return undefined;
}

function walkMap(w: Walk, struct: string, node: TypeNode, map: JsonObject): string | undefined {
  for (const key in map) {
    const item = map[key];
    w.at.push(key, false);
    const error = walkValue(w, struct, node, item);
    w.at.pop();
    if (error !== undefined) return error;
    // Go decodes a number into a Quantity and encodes it back as a string: store what a client reads.
    if (w.check && node.kind === "scalar" && node.scalar === "quantity" && typeof item === "number") map[key] = String(item);
  }
  return undefined;
}

/**
 * Decodes obj in place as `model`: the result of goTypeError followed by pruneByModel, in one
 * pass. An unknown model leaves obj as it is.
 */
export function decodeByModel(catalog: ReadonlyMap<string, Model>, model: string, obj: JsonObject, options: DecodeOptions): DecodeResult {
  const plan = planOf(catalog, model);
  const unknown: string[] = [];
  if (!plan) return { unknown };
  const typeError = walkStruct({ catalog, check: options.checkTypes, at: new Cursor(options.path ?? "", unknown) }, plan, obj);
  return typeError === undefined ? { unknown } : { typeError, unknown };
}
