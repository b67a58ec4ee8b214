// A chart repository's index.yaml in Helm's format (apiVersion v1, `entries` by chart name,
// each list newest version first). The index of a remote repository is untrusted input: it is
// parsed with YAML alias limits and validated field by field before anything uses it.
import semver from "semver";
import { Scalar, stringify } from "yaml";
import { RepoError } from "../core/errors.js";
import { formatYamlProblem, isPlainObject, isYamlProblem, parseYamlText, showValue } from "../charts/loader/yamlDoc.js";

/** One version of one chart in an index. */
export interface ChartVersion {
  name: string;
  version: string;
  /** Archive URLs, absolute or relative to the repository URL. */
  urls: string[];
  /** sha256 of the archive, lower-case hex (Helm writes it without a "sha256:" prefix). */
  digest: string;
  created?: string;
  appVersion?: string;
  description?: string;
  keywords?: string[];
  deprecated?: boolean;
  /** The entry as the index holds it (chart metadata and all), written back unchanged. */
  fields: Record<string, unknown>;
}

export interface IndexFile {
  apiVersion: string;
  generated: string;
  /** Chart name → versions, newest first. */
  entries: Map<string, ChartVersion[]>;
  /** Other top-level fields (serverInfo, annotations), kept on merge. */
  extra: Record<string, unknown>;
}

const DIGEST = /^[0-9a-f]{64}$/;

/** Versions newest first by SemVer precedence (ties keep their order). */
export function sortVersions(versions: ChartVersion[]): ChartVersion[] {
  return versions.sort((a, b) => semver.rcompare(a.version, b.version, { loose: true }));
}

export function parseIndex(text: string, source: string): IndexFile {
  return indexFromDocument(parseIndexDocument(text, source), source);
}

/** The YAML of an index as plain data, before any checks (cached as JSON, see indexCache.ts). */
export function parseIndexDocument(text: string, source: string): unknown {
  const parsed = parseYamlText(text, source);
  if (isYamlProblem(parsed)) throw new RepoError(`malformed index: ${formatYamlProblem(parsed)}`);
  return parsed.value;
}

/** Checks an index document's shape and reads it; untrusted input, so every field is checked. */
export function indexFromDocument(doc: unknown, source: string): IndexFile {
  if (!isPlainObject(doc)) throw new RepoError(`malformed index ${source}: expected a map with apiVersion and entries, got ${showValue(doc)}`);
  const { apiVersion, generated, entries, ...extra } = doc;
  if (apiVersion !== "v1") {
    throw new RepoError(`malformed index ${source}: apiVersion: expected "v1", got ${showValue(apiVersion)}`);
  }
  if (entries !== undefined && entries !== null && !isPlainObject(entries)) {
    throw new RepoError(`malformed index ${source}: entries: expected a map of chart names, got ${showValue(entries)}`);
  }
  const result = new Map<string, ChartVersion[]>();
  for (const [name, list] of Object.entries(entries ?? {})) {
    if (!Array.isArray(list)) throw new RepoError(`malformed index ${source}: entries.${name}: expected a list of versions, got ${showValue(list)}`);
    result.set(name, sortVersions(list.map((item, i) => readVersion(item, { source, where: `entries.${name}[${i}]`, name }))));
  }
  return { apiVersion: "v1", generated: typeof generated === "string" ? generated : "", entries: result, extra };
}

interface VersionContext {
  source: string;
  where: string;
  name: string;
}

function readVersion(item: unknown, ctx: VersionContext): ChartVersion {
  const fail = (field: string, problem: string): never => {
    throw new RepoError(`malformed index ${ctx.source}: ${ctx.where}${field ? `.${field}` : ""}: ${problem}`);
  };
  if (!isPlainObject(item)) return fail("", `expected a map, got ${showValue(item)}`);
  const str = (field: string, required: boolean): string | undefined => {
    const value = item[field];
    if (value === undefined || value === null) return required ? fail(field, "missing") : undefined;
    return typeof value === "string" ? value : fail(field, `expected a string, got ${showValue(value)}`);
  };
  const name = str("name", true) ?? "";
  if (name !== ctx.name) fail("name", `expected ${JSON.stringify(ctx.name)} (the entry's key), got ${JSON.stringify(name)}`);
  const version = str("version", true) ?? "";
  if (semver.valid(version, { loose: true }) === null) fail("version", `${JSON.stringify(version)} is not a SemVer version`);
  const urls = item.urls;
  if (!Array.isArray(urls) || urls.length === 0 || !urls.every((u): u is string => typeof u === "string" && u !== "")) {
    fail("urls", `expected a non-empty list of URLs, got ${showValue(urls)}`);
  }
  const digest = (str("digest", true) ?? "").replace(/^sha256:/, "");
  if (!DIGEST.test(digest)) fail("digest", `expected a sha256 hex digest, got ${JSON.stringify(item.digest)}`);
  const keywords = item.keywords;
  if (keywords !== undefined && keywords !== null && !(Array.isArray(keywords) && keywords.every((k) => typeof k === "string"))) {
    fail("keywords", `expected a list of strings, got ${showValue(keywords)}`);
  }
  const deprecated = item.deprecated;
  if (deprecated !== undefined && deprecated !== null && typeof deprecated !== "boolean") fail("deprecated", `expected true or false, got ${showValue(deprecated)}`);
  return {
    name,
    version,
    urls: Array.isArray(urls) ? urls.map(String) : [],
    digest,
    created: str("created", false),
    appVersion: str("appVersion", false),
    description: str("description", false),
    keywords: Array.isArray(keywords) ? keywords.map(String) : undefined,
    deprecated: deprecated === true ? true : undefined,
    fields: item,
  };
}

/** Helm's layout: keys sorted at every level (as sigs.k8s.io/yaml writes them). */
export function serializeIndex(index: IndexFile): string {
  const entries: Record<string, Record<string, unknown>[]> = {};
  for (const name of [...index.entries.keys()].sort()) {
    entries[name] = (index.entries.get(name) ?? []).map((v) =>
      typeof v.fields.created === "string" ? { ...v.fields, created: quotedTime(v.fields.created) } : v.fields,
    );
  }
  const doc = { ...index.extra, apiVersion: index.apiVersion, entries, generated: quotedTime(index.generated) };
  return stringify(doc, { sortMapEntries: true, lineWidth: 0, indentSeq: false });
}

/** Times are quoted, as Helm writes them, so YAML 1.1 readers keep them as strings. */
export function quotedTime(value: string): Scalar<string> {
  const node = new Scalar(value);
  node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

/** The newest version of `name` satisfying `constraint` (stable versions only unless the constraint names a prerelease). */
export function findVersion(index: IndexFile, name: string, constraint: string | undefined): ChartVersion | undefined {
  const range = constraint === undefined || constraint.trim() === "" ? "*" : constraint.replace(/\s*,\s*/g, " ");
  return (index.entries.get(name) ?? []).find((v) => semver.satisfies(v.version, range, { loose: true, includePrerelease: /\d-[0-9A-Za-z]/.test(range) }));
}
