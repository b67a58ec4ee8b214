// The contract between helper families and the engine. A helper gets its positional
// arguments (Handlebars' trailing options object already removed) and a HelperCall that
// knows where in which template it runs, so every failure can name the template and line.
import type { Values } from "../../model.js";

/** What a helper gets besides its arguments (the shape of Handlebars' helper options). */
export interface BlockOptions {
  name: string;
  hash: Record<string, unknown>;
  data?: Record<string, unknown>;
  loc?: { start: { line: number; column: number } };
  fn?: (context: unknown, options?: { data?: unknown; blockParams?: unknown[] }) => string;
  inverse?: (context: unknown, options?: { data?: unknown; blockParams?: unknown[] }) => string;
}

/** What helpers may ask of the render in progress. */
export interface RenderRuntime {
  /** Renders the named template (a define) with ctx. */
  include(name: string, ctx: unknown, call: HelperCall): string;
  /** Renders a string as a template with ctx. */
  tpl(source: string, ctx: unknown, call: HelperCall): string;
  /** The non-template files of the chart whose template is being rendered. */
  files(): ReadonlyMap<string, Buffer>;
  lookup(apiVersion: string, kind: string, namespace: string, name: string): Values;
  /** Handlebars' createFrame, for block helpers that set @index / @key. */
  createFrame(data: unknown): Record<string, unknown>;
}

export interface HelperCall {
  /** The helper's name as written in the template. */
  readonly name: string;
  readonly options: BlockOptions;
  /** Handlebars' `this` where the helper was called: the current context. */
  readonly self: unknown;
  readonly runtime: RenderRuntime;
  /** Stops the render with a TemplateError naming the template and line. */
  fail(message: string): never;
}

export interface HelperSpec {
  min: number;
  /** Infinity for variadic helpers. */
  max: number;
  fn: (args: unknown[], call: HelperCall) => unknown;
}

export type HelperTable = Record<string, HelperSpec>;

export function helper(min: number, max: number, fn: HelperSpec["fn"]): HelperSpec {
  return { min, max, fn };
}

/** An integer argument, as Go's int parameters accept. */
export function intArg(value: unknown, what: string, call: HelperCall): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n)) {
    call.fail(`${call.name}: ${what}: expected an integer, got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return Math.trunc(n);
}
