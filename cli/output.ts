// The one place CLI results are printed: every list command takes -o table|json|yaml.
import { stringify } from "yaml";
import { UsageError } from "../core/errors.js";

export type OutputFormat = "table" | "json" | "yaml";

export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "json", "yaml"];

function isOutputFormat(value: string): value is OutputFormat {
  return OUTPUT_FORMATS.some((f) => f === value);
}

export function parseOutputFormat(value: string | undefined, fallback: OutputFormat = "table"): OutputFormat {
  if (value === undefined) return fallback;
  if (isOutputFormat(value)) return value;
  throw new UsageError(`-o/--output: expected one of ${OUTPUT_FORMATS.join(", ")}, got "${value}"`);
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | undefined;
}

/** kubectl-style table: upper-case headers, columns padded by three spaces. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => String(c.value(row) ?? "")));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (parts: string[]) =>
    parts
      .map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i] + 3)))
      .join("")
      .trimEnd();
  return [line(headers), ...cells.map(line)].join("\n") + "\n";
}

export function formatData(data: unknown, format: Exclude<OutputFormat, "table">): string {
  if (format === "json") return JSON.stringify(data, null, 2) + "\n";
  return stringify(data, { lineWidth: 0 });
}

/** Prints a list: a table of `columns`, or the rows themselves (or `toData(rows)`) as JSON / YAML. */
export function printList<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  format: OutputFormat,
  toData: (rows: readonly T[]) => unknown = (r) => r,
): void {
  process.stdout.write(format === "table" ? formatTable(rows, columns) : formatData(toData(rows), format));
}

/** Prints one object; `table` falls back to `asText` (or YAML when none is given). */
export function printObject(data: unknown, format: OutputFormat, asText?: () => string): void {
  if (format === "table") process.stdout.write(asText ? asText() : formatData(data, "yaml"));
  else process.stdout.write(formatData(data, format));
}
