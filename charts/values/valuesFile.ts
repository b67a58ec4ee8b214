// Values files: values.yaml of a chart and the -f/--values files of a user.
// YAML is read the way Helm reads it (sigs.k8s.io/yaml over go-yaml v2, i.e. YAML 1.1):
// `yes`/`on` are booleans and `0777` is octal, but timestamps and sexagesimal numbers stay
// strings, duplicate keys are allowed (the last wins), and several `---` documents merge in
// order.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseAllDocuments, type Tags } from "yaml";
import { ValuesError } from "../../core/errors.js";
import type { Values } from "../model.js";
import { isTable, mergeMaps, typeName } from "./tree.js";

export interface ParseValuesOptions {
  /** The file name used in messages, e.g. "values.yaml" or "<stdin>". */
  source: string;
}

export interface ReadValuesFileOptions {
  /** Folder relative paths are read from. */
  cwd: string;
  /** How "-" is read. Default: all of process.stdin. */
  readStdin?: () => Promise<string>;
}

const KEPT_TAGS = new Set(["map", "seq", "str", "null", "bool", "int", "float", "merge"].map((t) => `tag:yaml.org,2002:${t}`));

/** Only the YAML 1.1 types go-yaml v2 gives a Go program as plain data. */
function helmTags(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag !== "object" || !("tag" in tag)) return false;
    return KEPT_TAGS.has(tag.tag) && tag.format !== "TIME";
  });
}

/** Parses values YAML; a syntax error becomes `FILE:LINE:COL: message`. */
export function parseValuesYaml(text: string, options: ParseValuesOptions): Values {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: "1.1",
    customTags: helmTags,
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter,
  });
  let values: Values = {};
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      throw new ValuesError(`${options.source}:${line}:${col}: ${firstLine(error.message)}`, { cause: error });
    }
    const data: unknown = doc.toJS({ maxAliasCount: 10000 });
    if (data === null || data === undefined) continue;
    if (!isTable(data)) {
      throw new ValuesError(`${options.source}: values must be a map of keys to values at the top level, got ${typeName(data)}`);
    }
    values = mergeMaps(values, data);
  }
  return values;
}

/** Reads a values file: a path (relative to cwd), "-" for stdin, or an http(s) URL. */
export async function readValuesFile(file: string, options: ReadValuesFileOptions): Promise<Values> {
  if (file.trim() === "-") {
    const text = await (options.readStdin ?? readAllStdin)();
    return parseValuesYaml(text, { source: "<stdin>" });
  }
  const text = /^https?:\/\//i.test(file) ? await fetchText(file) : await readLocal(file, options.cwd);
  return parseValuesYaml(text, { source: file });
}

async function readLocal(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, file), "utf8");
  } catch (err) {
    throw new ValuesError(`${file}: cannot read values file: ${errorReason(err)}`, { cause: err });
  }
}

async function fetchText(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new ValuesError(`${url}: cannot fetch values file: ${errorReason(err)}`, { cause: err });
  }
  if (!response.ok) throw new ValuesError(`${url}: cannot fetch values file: HTTP ${response.status}`);
  return response.text();
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function errorReason(err: unknown): string {
  if (err instanceof Error) {
    const code = "code" in err && typeof err.code === "string" ? err.code : undefined;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
