// A fast path for the plain YAML most rendered manifests are: block maps and sequences with
// simple keys, one-line scalars, `|` / `|-` literals and compact JSON flow values (toJson
// output). It returns exactly what the yaml library's parseDocument(...).toJS() returns
// (YAML 1.2 core schema), or undefined for anything else (anchors, tags, multi-line plain
// scalars, comments after values, tabs, duplicate keys, errors...), and then the caller
// parses with the yaml library, whose messages users see. Parsing 5,000 small documents
// with the library was about half of a first render.
import type { Values } from "../model.js";

interface Line {
  indent: number;
  /** The line without its indentation; block scalars read `raw`. */
  text: string;
  raw: string;
}

/** The line is outside the subset: let the yaml library parse the document. */
class NotPlain extends Error {}

const KEY = /^([A-Za-z_][\w./-]*):(?: +(.*))?$/;
const SPECIAL_KEY = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL|__proto__)$/;
/** Characters that start something other than a plain string in block context. */
const INDICATORS = new Set([..."-?:,[]{}#&*!|>'\"%@`"]);
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const OTHER_NUMBER = /^(?:0o|0x|[-+]?\.(?:inf|Inf|INF)$|\.(?:nan|NaN|NAN)$)/;
/** Printable ASCII only: no escapes, line separators or BOMs to reason about. */
const ASCII = /^[\x20-\x7e]*$/;
/** Control characters, DEL, C1, BOM and line separators: the library's business. */
const UNUSUAL = /[\x00-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;

export function parsePlainYaml(text: string): Values | undefined {
  if (text.includes("\t") || text.includes("\r")) return undefined;
  const lines: Line[] = text.split("\n").map((raw) => {
    const indent = raw.length - raw.trimStart().length;
    return { indent, text: raw.slice(indent).trimEnd(), raw };
  });
  try {
    const parser = new PlainParser(lines);
    const first = parser.peek();
    if (first === undefined || isSeqItem(first.text)) return undefined;
    const value = parser.map(first.indent);
    if (parser.peek() !== undefined) return undefined;
    return value;
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
}

function isSeqItem(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

function isComment(line: Line): boolean {
  return line.text === "" || line.text.startsWith("#");
}

/** A one-line scalar value as the core schema resolves it. */
function scalar(text: string): unknown {
  const first = text[0] ?? "";
  if (first === '"') {
    if (!ASCII.test(text) || text.includes("\\u") || !/^"(?:[^"\\]|\\.)*"$/.test(text)) throw new NotPlain();
    return jsonValue(text);
  }
  if (first === "'") {
    const m = /^'((?:[^']|'')*)'$/.exec(text);
    if (m === null || UNUSUAL.test(text)) throw new NotPlain();
    return (m[1] ?? "").replace(/''/g, "'");
  }
  if (first === "{" || first === "[") {
    if (!ASCII.test(text) || text.includes("__proto__")) throw new NotPlain();
    const value = jsonValue(text);
    // Only canonical compact JSON: no duplicate keys, no spacing or number forms to compare.
    if (JSON.stringify(value) !== text) throw new NotPlain();
    return value;
  }
  if (INDICATORS.has(first) || text.includes(": ") || text.includes(" #") || text.endsWith(":") || UNUSUAL.test(text)) {
    throw new NotPlain();
  }
  return plainScalar(text);
}

function jsonValue(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    throw new NotPlain();
  }
}

function plainScalar(text: string): unknown {
  if (NULL.test(text)) return null;
  if (TRUE.test(text)) return true;
  if (FALSE.test(text)) return false;
  if (OTHER_NUMBER.test(text)) throw new NotPlain();
  if (INT.test(text)) return parseInt(text, 10);
  if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text);
  return text;
}

class PlainParser {
  private i = 0;

  constructor(private readonly lines: Line[]) {}

  /** The next line that is not blank or a comment. */
  peek(): Line | undefined {
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line !== undefined && !isComment(line)) return line;
      this.i++;
    }
    return undefined;
  }

  map(indent: number): Values {
    const out: Values = {};
    for (let line = this.peek(); line !== undefined && line.indent >= indent; line = this.peek()) {
      if (line.indent > indent) throw new NotPlain();
      if (isSeqItem(line.text)) break;
      const m = KEY.exec(line.text);
      const key = m?.[1];
      if (m === null || key === undefined || key.length > 1000 || SPECIAL_KEY.test(key) || Object.hasOwn(out, key)) {
        throw new NotPlain();
      }
      this.i++;
      out[key] = this.value(m[2] ?? "", indent, true);
    }
    return out;
  }

  private seq(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.peek(); line !== undefined && line.indent >= indent; line = this.peek()) {
      if (line.indent > indent) throw new NotPlain();
      if (!isSeqItem(line.text)) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === "") {
        this.i++;
        out.push(this.value("", indent, false));
        continue;
      }
      // "- key: v" and "- - x" open a block at the item's column: re-read the line there.
      const column = indent + line.text.length - rest.length;
      if (isSeqItem(rest) || KEY.test(rest)) {
        this.lines[this.i] = { indent: column, text: rest, raw: " ".repeat(column) + rest };
        out.push(isSeqItem(rest) ? this.seq(column) : this.map(column));
      } else {
        this.i++;
        out.push(this.value(rest, column, false));
      }
    }
    return out;
  }

  /** The value after `key:` or `-`: inline, a block scalar, or a nested block below. */
  private value(rest: string, indent: number, inMap: boolean): unknown {
    if (rest.startsWith("|")) return this.literal(rest, indent);
    if (rest !== "") {
      const next = this.peek();
      if (next !== undefined && next.indent > indent) throw new NotPlain();
      return scalar(rest);
    }
    const next = this.peek();
    if (next === undefined || next.indent < indent) return null;
    if (next.indent === indent) return inMap && isSeqItem(next.text) ? this.seq(indent) : null;
    return isSeqItem(next.text) ? this.seq(next.indent) : this.map(next.indent);
  }

  /** `|` and `|-` literal blocks (clip and strip chomping, auto-detected indentation). */
  private literal(header: string, parentIndent: number): string {
    if (header !== "|" && header !== "|-") throw new NotPlain();
    const start = this.i;
    let last = -1;
    for (let line = this.lines[this.i]; line !== undefined; line = this.lines[this.i]) {
      if (line.text !== "" && line.indent <= parentIndent) break;
      if (line.text !== "") last = this.i;
      this.i++;
    }
    const first = this.lines.slice(start, last + 1).find((l) => l.text !== "");
    if (first === undefined) throw new NotPlain();
    const body = this.lines.slice(start, last + 1);
    const firstAt = body.indexOf(first);
    // More spaces on a leading empty line than the content's indentation, or a content line
    // indented less than the first: errors the library reports.
    if (body.some((l, i) => (i < firstAt ? l.raw.length > first.indent : l.text !== "" && l.indent < first.indent))) {
      throw new NotPlain();
    }
    // Trailing lines holding only spaces, more than the indentation: chomping rules to avoid.
    if (this.lines.slice(last + 1, this.i).some((l) => l.raw.length > first.indent)) throw new NotPlain();
    const content = body.map((l) => l.raw.slice(first.indent)).join("\n");
    return header === "|" ? `${content}\n` : content;
  }
}
