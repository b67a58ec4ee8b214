// The Kubernetes type catalogue OpenAPI documents are generated from: every model class of
// @kubernetes/client-node (generated from the Kubernetes OpenAPI spec of its release) with its
// fields, plus the descriptions and required fields that only survive in its .d.ts comments.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as models from "@kubernetes/client-node/dist/gen/models/all.js";

export interface ModelField {
  /** JSON name ("$ref", "x-kubernetes-embedded-resource"). */
  jsonName: string;
  /** client-node type expression: "string", "Array<V1Container>", "{ [key: string]: string; }". */
  type: string;
  format: string;
  description?: string;
  required: boolean;
}

export interface Model {
  /** client-node class name: "V1PodSpec", "CoreV1EndpointPort". */
  name: string;
  description?: string;
  fields: ModelField[];
}

interface AttributeInfo {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

function isAttributeInfo(v: unknown): v is AttributeInfo {
  if (typeof v !== "object" || v === null) return false;
  return "name" in v && typeof v.name === "string" && "baseName" in v && typeof v.baseName === "string" && "type" in v && typeof v.type === "string";
}

function attributesOf(cls: unknown): AttributeInfo[] | undefined {
  if (typeof cls !== "function" || !("attributeTypeMap" in cls)) return undefined;
  const map: unknown = cls.attributeTypeMap;
  if (!Array.isArray(map) || !map.every(isAttributeInfo)) return undefined;
  return map;
}

interface DocComments {
  classDescription?: string;
  /** TypeScript property name → description (absent for undocumented fields). */
  fields: Map<string, { description?: string; optional: boolean }>;
}

function unescapeDoc(lines: string): string {
  return lines
    .split("\n")
    .map((l) => l.replace(/^\s*\*\s?/, ""))
    .join("\n")
    .trim()
    .replace(/\\(.)/g, "$1");
}

// openapi-generator writes every .d.ts in one shape: a class comment, then each property
// as an optional `/** ... */` block followed by `'name'?: type;`.
function parseDocComments(source: string): DocComments {
  const classMatch = /\/\*\*\n((?:(?!\*\/)[\s\S])*?)\*\/\nexport declare class/.exec(source);
  const fields = new Map<string, { description?: string; optional: boolean }>();
  const body = source.slice(source.indexOf("export declare class"));
  const prop = /(?:\/\*\*\n((?:(?!\*\/)[\s\S])*?)\*\/\s*\n)?\s*'([^']+)'(\?)?:/g;
  for (let m = prop.exec(body); m; m = prop.exec(body)) {
    fields.set(m[2], { description: m[1] === undefined ? undefined : unescapeDoc(m[1]), optional: m[3] === "?" });
  }
  return { classDescription: classMatch ? unescapeDoc(classMatch[1]) : undefined, fields };
}

function modelsDir(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@kubernetes/client-node/dist/gen/models/all.js");
  return path.dirname(entry);
}

function readDocs(dir: string, name: string): DocComments {
  try {
    return parseDocComments(readFileSync(path.join(dir, `${name}.d.ts`), "utf8"));
  } catch {
    // Descriptions are a nicety for `kubectl explain`; the structure comes from the classes.
    return { fields: new Map() };
  }
}

let cached: Map<string, Model> | undefined;

/** All models by client-node class name; loaded once (about 2,000 small files). */
export function loadCatalog(): Map<string, Model> {
  if (cached) return cached;
  const dir = modelsDir();
  const out = new Map<string, Model>();
  for (const [name, cls] of Object.entries(models)) {
    const attrs = attributesOf(cls);
    if (!attrs) continue;
    const docs = readDocs(dir, name);
    const fields = attrs.map((a): ModelField => {
      const doc = docs.fields.get(a.name);
      return { jsonName: a.baseName, type: a.type, format: a.format, description: doc?.description, required: doc ? !doc.optional : false };
    });
    out.set(name, { name, description: docs.classDescription, fields });
  }
  cached = out;
  return out;
}
