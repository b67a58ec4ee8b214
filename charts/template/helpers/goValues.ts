// Go's view of template values. Helm's functions are Go functions, so emptiness, printing
// and quoting follow Go's rules (reflect zero values, fmt's %v, strconv.Quote) rather than
// JavaScript's; keeping them in one place keeps every helper family consistent.

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Go's emptiness as Sprig's `empty` sees it: nil, false, 0, "", and empty maps and lists. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value === 0;
  if (typeof value === "string") return value.length === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (Buffer.isBuffer(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

export function isTruthy(value: unknown): boolean {
  return !isEmpty(value);
}

/** fmt's %v: maps as map[k:v] with sorted keys, lists as [a b], nil as <nil>. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "<nil>";
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (Array.isArray(value)) return `[${value.map(formatValue).join(" ")}]`;
  if (isPlainObject(value)) {
    const parts = Object.keys(value)
      .sort()
      .map((k) => `${k}:${formatValue(value[k])}`);
    return `map[${parts.join(" ")}]`;
  }
  return String(value);
}

/** Sprig's strval: strings and bytes as they are, anything else as %v. */
export function strval(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  return formatValue(value);
}

/** Like strval, but a missing value is "" (templates pass undefined for missing keys). */
export function text(value: unknown): string {
  return value === undefined || value === null ? "" : strval(value);
}

const GO_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  '"': '\\"',
};

/** strconv.Quote: double quotes, Go escapes, printable Unicode kept as is. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const escaped = GO_ESCAPES[ch];
    if (escaped !== undefined) {
      out += escaped;
      continue;
    }
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (/\p{C}/u.test(ch)) out += code > 0xffff ? `\\U${code.toString(16).padStart(8, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's type name for a value, for fmt-style error messages. */
export function goTypeName(value: unknown): string {
  if (value === undefined || value === null) return "nil";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float64";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "[]interface {}";
  if (isPlainObject(value)) return "map[string]interface {}";
  return typeof value;
}

/** A deep copy of a values tree (plain objects, arrays, scalars). */
export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}
