// Serialisation helpers shaped like Helm's: toYaml marshals through JSON in Go, so map keys
// come out sorted, sequences are not indented under their key, and the trailing newline is
// trimmed; toJson is encoding/json (sorted keys, <, > and & escaped). fromYaml / fromJson
// never fail the render: like Helm they return a map with an "Error" key instead.
import { parse, stringify } from "yaml";
import { isPlainObject, text, type PlainObject } from "./goValues.js";
import { helper, type HelperTable } from "./spec.js";

const YAML_OPTIONS = {
  sortMapEntries: true,
  indentSeq: false,
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
  singleQuote: false,
  blockQuote: "literal",
} as const;

/** JSON-compatible form: undefined becomes null, buffers become strings, keys sorted. */
function normalise(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (Array.isArray(value)) return value.map(normalise);
  if (isPlainObject(value)) {
    const out: PlainObject = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) out[key] = normalise(value[key]);
    }
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  return value;
}

export function toYaml(value: unknown): string {
  return stringify(normalise(value), YAML_OPTIONS).replace(/\n$/, "");
}

const GO_JSON_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

function goJson(value: unknown, indent?: number): string {
  const json = JSON.stringify(normalise(value), null, indent) ?? "null";
  return json.replace(/[<>&\u2028\u2029]/g, (ch) => GO_JSON_ESCAPES[ch] ?? ch);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message.split("\n")[0] : String(err);
}

export function fromYaml(source: string): PlainObject {
  try {
    const parsed: unknown = parse(source);
    if (parsed === null || parsed === undefined) return {};
    if (!isPlainObject(parsed)) return { Error: "fromYaml: document is not a map" };
    return parsed;
  } catch (err) {
    return { Error: errorMessage(err) };
  }
}

export function fromJson(source: string): PlainObject {
  try {
    const parsed: unknown = JSON.parse(source);
    if (!isPlainObject(parsed)) return { Error: "fromJson: document is not an object" };
    return parsed;
  } catch (err) {
    return { Error: errorMessage(err) };
  }
}

export const serialiseHelpers: HelperTable = {
  toYaml: helper(1, 1, ([v]) => toYaml(v)),
  toJson: helper(1, 1, ([v]) => goJson(v)),
  toPrettyJson: helper(1, 1, ([v]) => goJson(v, 2)),
  fromYaml: helper(1, 1, ([s]) => fromYaml(text(s))),
  fromJson: helper(1, 1, ([s]) => fromJson(text(s))),
};
