// Logic and comparison helpers with Go template semantics: `and` / `or` return one of their
// arguments (not a bool), emptiness is Go's (0, "", false, nil, empty map / list), and
// ordering comparisons refuse to compare values of different kinds.
import { isDeepStrictEqual } from "node:util";
import { goTypeName, isEmpty, isTruthy, text } from "./goValues.js";
import { helper, type HelperCall, type HelperTable } from "./spec.js";

function same(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  return isDeepStrictEqual(a, b);
}

type Order = "lt" | "le" | "gt" | "ge";

function compare(a: unknown, b: unknown, call: HelperCall): number {
  if (typeof a === "number" && typeof b === "number") return Math.sign(a - b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return call.fail(`${call.name}: incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
}

/** Go's and / or: the first argument that decides the result, else the last one. */
function firstWhere(args: unknown[], decides: (v: unknown) => boolean): unknown {
  for (const arg of args) if (decides(arg)) return arg;
  return args[args.length - 1];
}

function ordered(op: Order) {
  return helper(2, 2, ([a, b], call) => {
    const c = compare(a, b, call);
    return op === "lt" ? c < 0 : op === "le" ? c <= 0 : op === "gt" ? c > 0 : c >= 0;
  });
}

export const logicHelpers: HelperTable = {
  default: helper(1, 2, ([fallback, value]) => (isEmpty(value) ? fallback : value)),
  empty: helper(1, 1, ([v]) => isEmpty(v)),
  coalesce: helper(0, Infinity, (args) => args.find(isTruthy)),
  ternary: helper(3, 3, ([whenTrue, whenFalse, cond]) => (isTruthy(cond) ? whenTrue : whenFalse)),
  eq: helper(2, Infinity, ([first, ...rest]) => rest.some((other) => same(first, other))),
  ne: helper(2, 2, ([a, b]) => !same(a, b)),
  lt: ordered("lt"),
  le: ordered("le"),
  gt: ordered("gt"),
  ge: ordered("ge"),
  and: helper(1, Infinity, (args) => firstWhere(args, isEmpty)),
  or: helper(1, Infinity, (args) => firstWhere(args, isTruthy)),
  not: helper(1, 1, ([v]) => isEmpty(v)),
  /** Helm's required: only nil and "" are missing; 0 and false are values. */
  required: helper(2, 2, ([message, value], call) => {
    if (value === undefined || value === null || value === "") call.fail(text(message));
    return value;
  }),
  fail: helper(1, 1, ([message], call) => call.fail(text(message))),
};
