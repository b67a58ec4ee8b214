// Text helpers, with Sprig's argument order (the string being worked on comes last, so
// `{{nindent 4 (toYaml x)}}` reads like Helm's `{{ toYaml x | nindent 4 }}`).
// Leniency: where Go would reject a missing value passed as a string, these take it as "".
import { createHash } from "node:crypto";
import { goQuote, strval, text } from "./goValues.js";
import { sprintf } from "./printf.js";
import { helper, intArg, type HelperCall, type HelperTable } from "./spec.js";

function indent(spaces: number, s: string): string {
  const pad = " ".repeat(spaces);
  return pad + s.replaceAll("\n", `\n${pad}`);
}

/** Go's strings.Title: ASCII punctuation and spaces separate words; other runes do not. */
export function title(s: string): string {
  let out = "";
  let prevIsLetter = false;
  for (const ch of s) {
    const isWord = ch.charCodeAt(0) < 0x80 ? /[A-Za-z0-9_]/.test(ch) : !/\s/u.test(ch);
    out += isWord && !prevIsLetter ? ch.toUpperCase() : ch;
    prevIsLetter = isWord;
  }
  return out;
}

/** Sprig's trunc: a negative count keeps the end of the string. */
export function trunc(count: number, s: string): string {
  if (count < 0 && s.length + count > 0) return s.slice(s.length + count);
  if (count >= 0 && s.length > count) return s.slice(0, count);
  return s;
}

/** Sprig's list-to-strings conversion: nil elements are skipped. */
function strings(list: unknown): string[] {
  if (list === undefined || list === null) return [];
  const items = Array.isArray(list) ? list : [list];
  return items.filter((v) => v !== undefined && v !== null).map(strval);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function b64dec(s: string, call: HelperCall): string {
  if (!BASE64.test(s)) call.fail(`b64dec: illegal base64 data: ${goQuote(s.length > 40 ? `${s.slice(0, 40)}...` : s)}`);
  return Buffer.from(s, "base64").toString("utf8");
}

const nonNil = (args: unknown[]): unknown[] => args.filter((a) => a !== undefined && a !== null);

export const stringHelpers: HelperTable = {
  indent: helper(2, 2, ([n, s], call) => indent(intArg(n, "count", call), text(s))),
  nindent: helper(2, 2, ([n, s], call) => `\n${indent(intArg(n, "count", call), text(s))}`),
  quote: helper(0, Infinity, (args) => nonNil(args).map((a) => goQuote(strval(a))).join(" ")),
  squote: helper(0, Infinity, (args) => nonNil(args).map((a) => `'${strval(a)}'`).join(" ")),
  upper: helper(1, 1, ([s]) => text(s).toUpperCase()),
  lower: helper(1, 1, ([s]) => text(s).toLowerCase()),
  title: helper(1, 1, ([s]) => title(text(s))),
  trim: helper(1, 1, ([s]) => text(s).trim()),
  trimPrefix: helper(2, 2, ([p, s]) => {
    const str = text(s);
    const prefix = text(p);
    return prefix !== "" && str.startsWith(prefix) ? str.slice(prefix.length) : str;
  }),
  trimSuffix: helper(2, 2, ([p, s]) => {
    const str = text(s);
    const suffix = text(p);
    return suffix !== "" && str.endsWith(suffix) ? str.slice(0, str.length - suffix.length) : str;
  }),
  trunc: helper(2, 2, ([n, s], call) => trunc(intArg(n, "count", call), text(s))),
  replace: helper(3, 3, ([from, to, s]) => text(s).replaceAll(text(from), text(to))),
  contains: helper(2, 2, ([sub, s]) => text(s).includes(text(sub))),
  hasPrefix: helper(2, 2, ([p, s]) => text(s).startsWith(text(p))),
  hasSuffix: helper(2, 2, ([p, s]) => text(s).endsWith(text(p))),
  printf: helper(1, Infinity, ([format, ...args]) => sprintf(text(format), args)),
  cat: helper(0, Infinity, (args) => nonNil(args).map(strval).join(" ")),
  join: helper(2, 2, ([sep, list]) => strings(list).join(text(sep))),
  b64enc: helper(1, 1, ([s]) => Buffer.from(text(s), "utf8").toString("base64")),
  b64dec: helper(1, 1, ([s], call) => b64dec(text(s), call)),
  sha256sum: helper(1, 1, ([s]) => createHash("sha256").update(text(s), "utf8").digest("hex")),
  repeat: helper(2, 2, ([n, s], call) => text(s).repeat(Math.max(0, intArg(n, "count", call)))),
};
