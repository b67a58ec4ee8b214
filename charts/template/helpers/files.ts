// Helm's `.Files` over a chart's non-template files. Go templates call methods
// (`.Files.Get "x"`); Handlebars cannot call a method on a value inside a subexpression
// or after `#each` changed the context, so the dialect offers plain helpers too:
//   fileGet PATH          → the file's text ("" when absent)
//   fileGlob PATTERN      → a files map { path: bytes } (prints as text)
//   fileLines PATH        → the file's lines, without a trailing empty line
//   filesAsConfig P|MAP   → YAML body of a ConfigMap's data: base name → text
//   filesAsSecrets P|MAP  → YAML body of a Secret's data: base name → base64
// `{{Files.Get "x"}}` also works at the top level of a template, where `Files` is in scope.
import path from "node:path/posix";
import picomatch from "picomatch";
import { toYaml } from "./serialise.js";
import { goTypeName, isPlainObject, text, type PlainObject } from "./goValues.js";
import { helper, type HelperCall, type HelperTable } from "./spec.js";

export type FileSet = ReadonlyMap<string, Buffer>;

export function fileGet(files: FileSet, name: string): string {
  return files.get(name)?.toString("utf8") ?? "";
}

/** Go's glob: `*` stays within one path segment, `**` crosses them, dot files match. */
export function fileGlob(files: FileSet, pattern: string): Record<string, Buffer> {
  const matches = picomatch(pattern, { dot: true });
  const out: Record<string, Buffer> = {};
  for (const name of [...files.keys()].sort()) {
    const data = files.get(name);
    if (data !== undefined && matches(name)) out[name] = data;
  }
  return out;
}

export function fileLines(files: FileSet, name: string): string[] {
  const content = fileGet(files, name);
  if (content === "") return [];
  return content.replace(/\n$/, "").split("\n");
}

function asMap(files: Record<string, unknown>, encode: (data: Buffer) => string): string {
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(text(data), "utf8");
    out[path.basename(name)] = encode(bytes);
  }
  return toYaml(out);
}

export function filesAsConfig(files: Record<string, unknown>): string {
  return asMap(files, (data) => data.toString("utf8"));
}

export function filesAsSecrets(files: Record<string, unknown>): string {
  return asMap(files, (data) => data.toString("base64"));
}

/** The `Files` object of a template's root context; methods are own closures. */
export function filesObject(files: FileSet): PlainObject {
  return {
    Get: (name: unknown) => fileGet(files, text(name)),
    Glob: (pattern: unknown) => fileGlob(files, text(pattern)),
    Lines: (name: unknown) => fileLines(files, text(name)),
    AsConfig: (pattern: unknown) => filesAsConfig(fileGlob(files, text(pattern))),
    AsSecrets: (pattern: unknown) => filesAsSecrets(fileGlob(files, text(pattern))),
  };
}

function selection(arg: unknown, call: HelperCall): Record<string, unknown> {
  if (typeof arg === "string") return fileGlob(call.runtime.files(), arg);
  if (isPlainObject(arg)) return arg;
  return call.fail(`${call.name}: expected a glob pattern or a files map, got ${goTypeName(arg)}`);
}

export const fileHelpers: HelperTable = {
  fileGet: helper(1, 1, ([name], call) => fileGet(call.runtime.files(), text(name))),
  fileGlob: helper(1, 1, ([pattern], call) => fileGlob(call.runtime.files(), text(pattern))),
  fileLines: helper(1, 1, ([name], call) => fileLines(call.runtime.files(), text(name))),
  filesAsConfig: helper(1, 1, ([arg], call) => filesAsConfig(selection(arg, call))),
  filesAsSecrets: helper(1, 1, ([arg], call) => filesAsSecrets(selection(arg, call))),
};
