// The --set family, with the grammar of Helm's pkg/strvals: `a.b=1,c[0].d=x,e={1,2}`.
//   --set          typed scalars: true/false, null, integers (no leading zero); else a string
//   --set-string   every value a string
//   --set-json     each value is JSON (`a={"b":1}`; an empty value is null)
//   --set-file     each value is a path; the file's content is the (string) value
//   --set-literal  `key=value` with the value verbatim: no escapes, no comma splitting, no lists
// `null` is kept in the result: coalescing against chart defaults is what deletes the key.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ValuesError } from "../../core/errors.js";
import type { Values } from "../model.js";
import { JsonPrefixError, jsonValueLength } from "./jsonPrefix.js";
import { RuneScanner } from "./runes.js";
import { describeValue, getOwn, isTable, setOwn, typeName } from "./tree.js";

export type SetFlag = "set" | "set-string" | "set-json" | "set-file" | "set-literal";

export interface SetParseOptions {
  /** Folder that --set-file paths are relative to. Default: process.cwd(). */
  cwd?: string;
}

/** Helm's limits: list indexes and key nesting a hostile expression could blow up. */
export const MAX_INDEX = 65536;
export const MAX_NESTED_NAME_LEVEL = 30;

/** A parse failure inside one expression; parseSetInto adds the flag and the expression. */
class StrvalsFailure extends Error {}

type ValueReader = (raw: string) => unknown;

interface ParserMode {
  /** Converts a scalar's text; unused for JSON and literal values. */
  reader: ValueReader;
  json: boolean;
  literal: boolean;
}

/** Parses one --set-family expression and writes its keys into `dest` (later keys win). */
export function parseSetInto(flag: SetFlag, expression: string, dest: Values, options: SetParseOptions = {}): void {
  try {
    new StrvalsParser(new RuneScanner(expression), modeFor(flag, options)).parse(dest);
  } catch (err) {
    if (err instanceof StrvalsFailure) {
      throw new ValuesError(`--${flag} "${expression}": ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/** Parses one --set-family expression into a new values tree. */
export function parseSet(flag: SetFlag, expression: string, options: SetParseOptions = {}): Values {
  const dest: Values = {};
  parseSetInto(flag, expression, dest, options);
  return dest;
}

/** Helm's typedVal: the scalar types --set recognises. */
export function typedValue(text: string): unknown {
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (text === "0") return 0;
  // Go's strconv.ParseInt(s, 10, 64); a leading zero keeps "0123" a string (zip codes, ids).
  if (/^[+-]?\d+$/.test(text) && !text.startsWith("0")) {
    const big = BigInt(text);
    const inInt64 = big >= -(2n ** 63n) && big < 2n ** 63n;
    // Beyond 2^53 a JS number would silently change the digits; keep the exact text instead.
    if (inInt64 && Number.isSafeInteger(Number(big))) return Number(big);
  }
  return text;
}

function modeFor(flag: SetFlag, options: SetParseOptions): ParserMode {
  switch (flag) {
    case "set":
      return { reader: typedValue, json: false, literal: false };
    case "set-string":
      return { reader: (raw) => raw, json: false, literal: false };
    case "set-json":
      return { reader: (raw) => raw, json: true, literal: false };
    case "set-literal":
      return { reader: (raw) => raw, json: false, literal: true };
    case "set-file":
      return { reader: fileReader(options.cwd ?? process.cwd()), json: false, literal: false };
  }
}

function fileReader(cwd: string): ValueReader {
  return (raw) => {
    try {
      return readFileSync(path.resolve(cwd, raw), "utf8");
    } catch (err) {
      const reason = err instanceof Error && "code" in err ? String(err.code) : String(err);
      throw new StrvalsFailure(`cannot read file "${raw}": ${reason}`);
    }
  };
}

const KEY_STOP = new Set(["=", "[", ",", "."]);
const LITERAL_KEY_STOP = new Set(["=", "[", "."]);
const LIST_ITEM_STOP = new Set(["[", ".", "="]);
const INDEX_STOP = new Set(["]"]);
const VALUE_STOP = new Set([","]);
const LIST_VALUE_STOP = new Set([",", "}"]);

/** What reading a value after `=` gave; `eof` when nothing at all followed the `=`. */
interface ReadValue {
  value: unknown;
  eof: boolean;
}

class StrvalsParser {
  constructor(
    private readonly sc: RuneScanner,
    private readonly mode: ParserMode,
  ) {}

  parse(dest: Values): void {
    while (!this.key(dest, 0)) {
      // each call consumes at least one rune, so this ends
    }
  }

  private until(stop: ReadonlySet<string>): { text: string; last?: string } {
    return this.sc.until(stop, { escapes: !this.mode.literal });
  }

  /** Reads one `key…=value`; returns true when the input ended (Go's io.EOF). */
  private key(data: Values, level: number): boolean {
    const { text: k, last } = this.until(this.mode.literal ? LITERAL_KEY_STOP : KEY_STOP);
    switch (last) {
      case undefined:
        if (k.length === 0) return true;
        throw new StrvalsFailure(`key "${k}" has no value`);
      case "[": {
        const index = this.keyIndex();
        const result = this.listItem(listAt(data, k), index, level);
        setKey(data, k, result.list);
        return result.eof;
      }
      case "=": {
        const read = this.readValue();
        setKey(data, k, read.value);
        return read.eof;
      }
      case ",":
        throw new StrvalsFailure(`key "${k}" has no value (cannot end with ,)`);
      default:
        return this.nestedKey(data, k, level + 1);
    }
  }

  private nestedKey(data: Values, k: string, level: number): boolean {
    if (level > MAX_NESTED_NAME_LEVEL) {
      throw new StrvalsFailure(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
    }
    const inner = tableAt(data, k);
    const eof = this.key(inner, level);
    if (!eof && Object.keys(inner).length === 0) throw new StrvalsFailure(`key map "${k}" has no value`);
    if (Object.keys(inner).length > 0) setKey(data, k, inner);
    return eof;
  }

  private keyIndex(): number {
    const { text, last } = this.until(INDEX_STOP);
    if (last === undefined) throw new StrvalsFailure(`missing "]" after list index "${text}"`);
    if (!/^[+-]?\d+$/.test(text)) throw new StrvalsFailure(`invalid list index "${text}"`);
    const index = Number(text);
    if (index < 0) throw new StrvalsFailure(`negative ${index} index not allowed`);
    return index;
  }

  /** What follows `name[i]`: `=value`, `.key…` or another `[j]`. */
  private listItem(list: unknown[], i: number, level: number): { list: unknown[]; eof: boolean } {
    const { text, last } = this.until(LIST_ITEM_STOP);
    if (text.length > 0) throw new StrvalsFailure(`unexpected data at end of array index: "${text}"`);
    switch (last) {
      case undefined:
        return { list, eof: true };
      case "=": {
        const read = this.readValue();
        return { list: setIndex(list, i, read.eof ? "" : read.value), eof: false };
      }
      case "[": {
        const next = this.keyIndex();
        const existing = i < list.length ? list[i] : undefined;
        const inner = this.listItem(nestedList(existing, i), next, level);
        if (inner.eof) return { list, eof: true };
        return { list: setIndex(list, i, inner.list), eof: false };
      }
      default: {
        // Helm replaces a non-map element here ("indices out of order") rather than failing.
        const existing = i < list.length ? list[i] : undefined;
        const inner: Values = isTable(existing) ? existing : {};
        if (this.key(inner, level)) return { list, eof: true };
        return { list: setIndex(list, i, inner), eof: false };
      }
    }
  }

  private readValue(): ReadValue {
    if (this.mode.literal) return { value: this.sc.rest().length > 0 ? this.consumeRest() : "", eof: false };
    if (this.mode.json) return { value: this.jsonValue(), eof: false };
    const list = this.valueList();
    if (list === "eof") return { value: "", eof: true };
    if (list !== "not-a-list") return { value: list, eof: false };
    const { text } = this.until(VALUE_STOP);
    return { value: this.mode.reader(text), eof: false };
  }

  private consumeRest(): string {
    const rest = this.sc.rest();
    this.sc.skipText(rest.length);
    return rest;
  }

  /** `{a,b,c}` as a list; "not-a-list" (nothing consumed) when the value does not start with `{`. */
  private valueList(): unknown[] | "eof" | "not-a-list" {
    const first = this.sc.read();
    if (first === undefined) return "eof";
    if (first !== "{") {
      this.sc.unread();
      return "not-a-list";
    }
    const list: unknown[] = [];
    for (;;) {
      const { text, last } = this.until(LIST_VALUE_STOP);
      if (last === undefined) throw new StrvalsFailure("list must terminate with '}'");
      list.push(this.mode.reader(text));
      if (last === "}") {
        const after = this.sc.read();
        if (after !== undefined && after !== ",") this.sc.unread();
        return list;
      }
    }
  }

  /** Blanks then a comma or the end: consumed, true. Anything else: left in place, false. */
  private emptyValue(): boolean {
    for (;;) {
      const r = this.sc.read();
      if (r === undefined || r === ",") return true;
      if (!/\s/u.test(r)) {
        this.sc.unread();
        return false;
      }
    }
  }

  private jsonValue(): unknown {
    if (this.emptyValue()) return null;
    const rest = this.sc.rest();
    let value: unknown;
    try {
      const length = jsonValueLength(rest);
      value = JSON.parse(rest.slice(0, length));
      this.sc.skipText(length);
    } catch (err) {
      if (err instanceof JsonPrefixError || err instanceof SyntaxError) {
        throw new StrvalsFailure(`invalid JSON value ${describeValue(rest)}: ${err.message}`);
      }
      throw err;
    }
    this.emptyValue();
    return value;
  }
}

function setKey(data: Values, key: string, value: unknown): void {
  // Helm ignores an empty key (`.a=1` sets nothing) rather than failing.
  if (key.length > 0) setOwn(data, key, value);
}

function setIndex(list: unknown[], index: number, value: unknown): unknown[] {
  if (index > MAX_INDEX) {
    throw new StrvalsFailure(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  }
  // Sparse growth: `a[2]=x` on an empty list gives [null, null, "x"], as Helm does.
  const out = list.length > index ? list : [...list, ...new Array<unknown>(index + 1 - list.length).fill(null)];
  out[index] = value;
  return out;
}

function listAt(data: Values, key: string): unknown[] {
  const existing = getOwn(data, key);
  if (existing === undefined || existing === null) return [];
  if (Array.isArray(existing)) return existing;
  throw new StrvalsFailure(`"${key}" is ${typeName(existing)} ${describeValue(existing)}, not a list`);
}

function tableAt(data: Values, key: string): Values {
  const existing = getOwn(data, key);
  if (existing === undefined || existing === null) return {};
  if (isTable(existing)) return existing;
  throw new StrvalsFailure(`"${key}" is ${typeName(existing)} ${describeValue(existing)}, not a map`);
}

function nestedList(existing: unknown, index: number): unknown[] {
  if (existing === undefined || existing === null) return [];
  if (Array.isArray(existing)) return existing;
  throw new StrvalsFailure(`element ${index} is ${typeName(existing)} ${describeValue(existing)}, not a list`);
}
