// Chart.yaml: parse and validate like Helm's Metadata.Validate, with messages that name the
// file, the line and the bad value. Unknown fields are ignored, as Helm does.
import { ChartError } from "../../core/errors.js";
import type { ChartDependency, ChartMaintainer, ChartMetadata, ImportValuesMapping } from "../model.js";
import { FieldReader, type FieldPath } from "./fields.js";
import { isVersionConstraint, isSemver2 } from "./versions.js";
import { formatYamlProblem, isPlainObject, isYamlProblem, parseYamlText, showValue } from "./yamlDoc.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ALIAS = /^[A-Za-z0-9_-]+$/;

/** Parses Chart.yaml text; `label` (e.g. "mychart/Chart.yaml") prefixes every message. */
export function parseChartMetadata(text: string, label: string): ChartMetadata {
  const parsed = parseYamlText(text, label);
  if (isYamlProblem(parsed)) throw new ChartError(formatYamlProblem(parsed));
  if (!isPlainObject(parsed.value)) {
    throw new ChartError(`${label}: expected a map of chart fields, got ${showValue(parsed.value)}`);
  }
  const r = new FieldReader(parsed);
  const metadata: ChartMetadata = {
    apiVersion: readApiVersion(r),
    name: readName(r, ["name"]),
    version: readVersion(r),
  };
  assignDefined(metadata, {
    appVersion: r.string(["appVersion"]),
    description: r.string(["description"]),
    type: readType(r),
    kubeVersion: readConstraint(r, ["kubeVersion"]),
    keywords: r.stringList(["keywords"]),
    home: r.string(["home"]),
    sources: r.stringList(["sources"]),
    maintainers: readMaintainers(r),
    icon: r.string(["icon"]),
    deprecated: r.boolean(["deprecated"]),
    annotations: r.stringMap(["annotations"]),
    dependencies: readDependencies(r),
  });
  return metadata;
}

/**
 * apiVersion v1 charts list dependencies in requirements.yaml; read them with the same
 * rules as Chart.yaml's `dependencies`.
 */
export function parseRequirements(text: string, label: string): ChartDependency[] {
  const parsed = parseYamlText(text, label);
  if (isYamlProblem(parsed)) throw new ChartError(formatYamlProblem(parsed));
  if (parsed.value === null || parsed.value === undefined) return [];
  if (!isPlainObject(parsed.value)) throw new ChartError(`${label}: expected a map with "dependencies", got ${showValue(parsed.value)}`);
  return readDependencies(new FieldReader(parsed)) ?? [];
}

function assignDefined<T extends object>(target: T, fields: Partial<T>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(target, { [key]: value });
  }
}

function readApiVersion(r: FieldReader): "v1" | "v2" {
  const value = r.requiredString(["apiVersion"]);
  if (value === "v2" || value === "v1") return value;
  return r.fail(["apiVersion"], `expected "v2" (or "v1"), got ${JSON.stringify(value)}`);
}

function readName(r: FieldReader, path: FieldPath): string {
  const name = r.requiredString(path);
  if (name === "." || name === ".." || !NAME.test(name)) {
    r.fail(path, `${JSON.stringify(name)} is not a valid chart name (letters, digits, '-', '_' and '.', starting with a letter or digit)`);
  }
  return name;
}

function readVersion(r: FieldReader): string {
  const version = r.requiredString(["version"]);
  if (!isSemver2(version)) r.fail(["version"], `${JSON.stringify(version)} is not a valid SemVer 2 version`);
  return version;
}

function readType(r: FieldReader): "application" | "library" | undefined {
  const type = r.string(["type"]);
  if (type === undefined || type === "") return undefined;
  if (type === "application" || type === "library") return type;
  return r.fail(["type"], `expected "application" or "library", got ${JSON.stringify(type)}`);
}

function readConstraint(r: FieldReader, path: FieldPath): string | undefined {
  const constraint = r.string(path);
  if (constraint === undefined) return undefined;
  if (!isVersionConstraint(constraint)) r.fail(path, `${JSON.stringify(constraint)} is not a valid version constraint`);
  return constraint;
}

function readMaintainers(r: FieldReader): ChartMaintainer[] | undefined {
  const items = r.list(["maintainers"]);
  return items?.map((item, i) => {
    const path = ["maintainers", i];
    if (!isPlainObject(item)) return r.fail(path, `expected a map with name, email and url, got ${showValue(item)}`);
    const maintainer: ChartMaintainer = { name: r.string([...path, "name"]) ?? "" };
    assignDefined(maintainer, { email: r.string([...path, "email"]), url: r.string([...path, "url"]) });
    return maintainer;
  });
}

function readDependencies(r: FieldReader): ChartDependency[] | undefined {
  const items = r.list(["dependencies"]);
  if (items === undefined) return undefined;
  const seen = new Map<string, number>();
  return items.map((item, i) => {
    const dep = readDependency(r, ["dependencies", i], item);
    const key = dep.alias ?? dep.name;
    const first = seen.get(key);
    if (first !== undefined) r.fail(["dependencies", i], `more than one dependency with name or alias ${JSON.stringify(key)} (see dependencies[${first}])`);
    seen.set(key, i);
    return dep;
  });
}

function readDependency(r: FieldReader, path: FieldPath, item: unknown): ChartDependency {
  if (!isPlainObject(item)) return r.fail(path, `expected a map with name and version, got ${showValue(item)}`);
  const dep: ChartDependency = { name: readName(r, [...path, "name"]) };
  const alias = r.string([...path, "alias"]);
  if (alias !== undefined && !ALIAS.test(alias)) {
    r.fail([...path, "alias"], `${JSON.stringify(alias)} is not a valid alias (letters, digits, '-' and '_')`);
  }
  assignDefined(dep, {
    version: readConstraint(r, [...path, "version"]),
    repository: r.string([...path, "repository"]),
    condition: r.string([...path, "condition"]),
    tags: r.stringList([...path, "tags"]),
    enabled: r.boolean([...path, "enabled"]),
    alias,
    importValues: readImportValues(r, [...path, "import-values"]),
  });
  return dep;
}

function readImportValues(r: FieldReader, path: FieldPath): (string | ImportValuesMapping)[] | undefined {
  const items = r.list(path);
  return items?.map((item, i) => {
    if (typeof item === "string") return item;
    if (isPlainObject(item)) {
      return { child: r.requiredString([...path, i, "child"]), parent: r.requiredString([...path, i, "parent"]) };
    }
    return r.fail([...path, i], `expected a string or a map with child and parent, got ${showValue(item)}`);
  });
}
