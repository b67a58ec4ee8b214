// YAML parsing for chart files that keeps positions, so every complaint about Chart.yaml,
// values.yaml or Chart.lock can point at `FILE:LINE`.
import { LineCounter, parseDocument, type Document, isNode } from "yaml";

export interface YamlText {
  /** Label used in messages, e.g. "mychart/Chart.yaml". */
  label: string;
  doc: Document;
  /** The parsed value (plain JS). */
  value: unknown;
  /** `label:LINE` for the node at `path`, or just `label` when it is absent. */
  where(path: readonly (string | number)[]): string;
  /** The node's text as written (e.g. `1.0` rather than the number 1). */
  sourceOf(path: readonly (string | number)[]): string | undefined;
}

export interface YamlSyntaxProblem {
  label: string;
  line?: number;
  message: string;
}

const UTF8_BOM = "\uFEFF";

/**
 * Parses one YAML document. Returns the first syntax problem instead of throwing so each
 * caller can wrap it in its own error family (ChartError, ValuesError).
 */
export function parseYamlText(text: string, label: string): YamlText | YamlSyntaxProblem {
  const source = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line ?? lineCounter.linePos(first.pos[0]).line;
    return { label, line, message: first.message.split("\n")[0] };
  }
  let value: unknown;
  try {
    // yaml's default alias limit (100) stops "billion laughs" expansion; it throws, so report it.
    value = doc.toJS();
  } catch (err) {
    return { label, message: err instanceof Error ? err.message : String(err) };
  }
  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    const node = doc.getIn(path, true);
    if (!isNode(node) || !node.range) return undefined;
    return lineCounter.linePos(node.range[0]).line;
  };
  return {
    label,
    doc,
    value,
    where(path) {
      // A missing field is reported at the closest enclosing node that exists.
      for (let n = path.length; n > 0; n--) {
        const line = lineOf(path.slice(0, n));
        if (line !== undefined) return `${label}:${line}`;
      }
      return label;
    },
    sourceOf(path) {
      const node = doc.getIn(path, true);
      if (!isNode(node) || !node.range) return undefined;
      return source.slice(node.range[0], node.range[1]);
    },
  };
}

export function isYamlProblem(parsed: YamlText | YamlSyntaxProblem): parsed is YamlSyntaxProblem {
  return "message" in parsed;
}

export function formatYamlProblem(problem: YamlSyntaxProblem): string {
  const at = problem.line === undefined ? problem.label : `${problem.label}:${problem.line}`;
  return `${at}: invalid YAML: ${problem.message}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How a bad value is shown in a message: strings quoted, the rest as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "a map";
  return JSON.stringify(value);
}
