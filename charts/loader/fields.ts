// Typed reads of fields from a parsed YAML file. Every read either returns a value of the
// promised type or throws a ChartError naming `FILE:LINE: field: rule, got value`.
import { ChartError } from "../../core/errors.js";
import { isPlainObject, showValue, type YamlText } from "./yamlDoc.js";

export type FieldPath = readonly (string | number)[];

/** `dependencies[0].version` from ["dependencies", 0, "version"]. */
export function fieldName(path: FieldPath): string {
  return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}

export class FieldReader {
  constructor(private readonly yaml: YamlText) {}

  fail(path: FieldPath, message: string): never {
    throw new ChartError(`${this.yaml.where(path)}: ${fieldName(path)}: ${message}`);
  }

  raw(path: FieldPath): unknown {
    let current: unknown = this.yaml.value;
    for (const part of path) {
      if (typeof part === "number") current = Array.isArray(current) ? current[part] : undefined;
      else current = isPlainObject(current) ? current[part] : undefined;
    }
    return current;
  }

  /**
   * A string field. Like Helm (sigs.k8s.io/yaml converts scalars to the target field's
   * type), a number or boolean is taken as the text written, so `appVersion: 1.10` is "1.10".
   */
  string(path: FieldPath): string | undefined {
    const value = this.raw(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return this.yaml.sourceOf(path) ?? String(value);
    return this.fail(path, `expected a string, got ${showValue(value)}`);
  }

  requiredString(path: FieldPath): string {
    const value = this.string(path);
    if (value === undefined || value.trim() === "") return this.fail(path, "is required");
    return value;
  }

  boolean(path: FieldPath): boolean | undefined {
    const value = this.raw(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "boolean") return value;
    return this.fail(path, `expected true or false, got ${showValue(value)}`);
  }

  list(path: FieldPath): unknown[] | undefined {
    const value = this.raw(path);
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value;
    return this.fail(path, `expected a list, got ${showValue(value)}`);
  }

  stringList(path: FieldPath): string[] | undefined {
    const items = this.list(path);
    if (items === undefined) return undefined;
    return items.map((_, i) => this.string([...path, i]) ?? this.fail([...path, i], "must not be empty"));
  }

  map(path: FieldPath): Record<string, unknown> | undefined {
    const value = this.raw(path);
    if (value === undefined || value === null) return undefined;
    if (isPlainObject(value)) return value;
    return this.fail(path, `expected a map, got ${showValue(value)}`);
  }

  stringMap(path: FieldPath): Record<string, string> | undefined {
    const value = this.map(path);
    if (value === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const key of Object.keys(value)) out[key] = this.string([...path, key]) ?? "";
    return out;
  }
}
