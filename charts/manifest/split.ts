// Splits rendered templates into Kubernetes objects: YAML documents separated by `---`
// lines, empty and comment-only documents dropped, each parsed and checked for the fields
// every object needs. Errors name the template and the line within its rendered output.
// Plain documents take a fast path (plainYaml.ts) that yields the yaml library's objects.
import { parseDocument } from "yaml";
import { TemplateError } from "../../core/errors.js";
import type { Values } from "../model.js";
import { parseHook } from "./hooks.js";
import { parsePlainYaml } from "./plainYaml.js";
import type { HookManifest, Manifest, SplitResult } from "./types.js";

interface RawDocument {
  text: string;
  /** 1-based line of the document's first line in the rendered file. */
  firstLine: number;
}

const SEPARATOR = /^---(?:[ \t].*)?$/;

/** A line holding something other than blanks and a comment. */
const CONTENT_LINE = /(?:^|\n)[^\S\n]*[^\s#]/;

export function splitDocuments(rendered: string): RawDocument[] {
  const docs: RawDocument[] = [];
  let start = 0;
  let firstLine = 1;
  let line = 1;
  for (let at = 0; at <= rendered.length; line++) {
    const newline = rendered.indexOf("\n", at);
    const end = newline < 0 ? rendered.length : newline;
    if (rendered.startsWith("---", at) && SEPARATOR.test(rendered.slice(at, end).replace(/\r$/, ""))) {
      docs.push({ text: rendered.slice(start, Math.max(start, at - 1)), firstLine });
      start = end + 1;
      firstLine = line + 1;
    }
    at = end + 1;
  }
  docs.push({ text: rendered.slice(start), firstLine });
  return docs.filter((d) => CONTENT_LINE.test(d.text));
}

function isRecord(value: unknown): value is Values {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function yamlMessage(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}

function parse(source: string, doc: RawDocument): Values {
  const plain = parsePlainYaml(doc.text);
  if (plain !== undefined) return plain;
  const parsed = parseDocument(doc.text);
  const [error] = parsed.errors;
  if (error !== undefined) {
    const line = doc.firstLine - 1 + (error.linePos?.[0].line ?? 1);
    throw new TemplateError(`template: ${source}:${line}: YAML parse error: ${yamlMessage(error.message)}`, { cause: error });
  }
  let object: unknown;
  try {
    object = parsed.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias to no anchor, or an alias bomb past maxAliasCount: the yaml library throws a
    // plain ReferenceError here rather than reporting a parse error.
    const message = err instanceof Error ? err.message : String(err);
    throw new TemplateError(`template: ${source}:${doc.firstLine}: YAML error: ${yamlMessage(message)}`, { cause: err });
  }
  if (!isRecord(object)) {
    throw new TemplateError(`template: ${source}:${doc.firstLine}: expected a Kubernetes object (a YAML map), got ${Array.isArray(object) ? "a list" : JSON.stringify(object)}`);
  }
  return object;
}

function requiredString(object: Values, field: string, where: string): string {
  const value = object[field];
  if (typeof value === "string" && value !== "") return value;
  if (value === undefined || value === null || value === "") throw new TemplateError(`${where}: object has no ${field}`);
  throw new TemplateError(`${where}: ${field}: expected string, got ${JSON.stringify(value)}`);
}

export function toManifest(source: string, doc: RawDocument): Manifest {
  const object = parse(source, doc);
  const where = `template: ${source}:${doc.firstLine}`;
  const apiVersion = requiredString(object, "apiVersion", where);
  const kind = requiredString(object, "kind", where);
  const metadata = object.metadata;
  if (!isRecord(metadata)) throw new TemplateError(`${where}: ${kind} has no metadata`);
  const named = typeof metadata.name === "string" && metadata.name !== "" ? metadata : { ...metadata, name: metadata.generateName };
  const name = requiredString(named, "name", `${where}: metadata`);
  const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : undefined;
  const manifest: Manifest = { source, content: doc.text.trim(), object, apiVersion, kind, name };
  if (namespace !== undefined) manifest.namespace = namespace;
  const hook = isRecord(metadata.annotations) ? parseHook(metadata.annotations) : undefined;
  if (hook !== undefined) manifest.hook = hook;
  return manifest;
}

function isHook(m: Manifest): m is HookManifest {
  return m.hook !== undefined;
}

const NOTES = /\/templates\/NOTES\.txt$/;

/** Documents in template-name order, then document order; NOTES.txt set apart. */
export function splitManifests(rendered: ReadonlyMap<string, string>): SplitResult {
  const result: SplitResult = { manifests: [], hooks: [] };
  for (const source of [...rendered.keys()].sort()) {
    const text = rendered.get(source) ?? "";
    if (NOTES.test(source)) {
      if (!source.includes("/charts/")) result.notes = text;
      continue;
    }
    for (const doc of splitDocuments(text)) {
      const manifest = toManifest(source, doc);
      if (isHook(manifest)) result.hooks.push(manifest);
      else result.manifests.push(manifest);
    }
  }
  return result;
}
