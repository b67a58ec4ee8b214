// Evaluates Handlebars' AST directly. Handlebars' own compiler generates and evals a JS
// function per template, which costs about a millisecond each: a chart with 1,000
// templates would spend a second compiling. Walking the parsed AST costs a fraction of that
// and gives us Go template semantics where they differ: no HTML escaping (noEscape), values
// printed as Go prints them (lists as [a b]), and helper calls that know their line.
//
// Resolution follows Handlebars: `{{name args}}` calls the helper `name`; with no such
// helper a function found at that path is called (so `{{Files.Get "x"}}` works), otherwise
// it is an unknown function. `{{name}}` without arguments is a helper call when `name` is a
// helper, else a value lookup (missing values are undefined and print as ""). A block whose
// path is a value, not a helper, behaves like Handlebars' blockHelperMissing.
import { TemplateError } from "../../core/errors.js";
import { formatValue, isEmpty } from "./helpers/goValues.js";
import type { BlockOptions } from "./helpers/spec.js";

type Node = hbs.AST.Node;

/** Where the interpreter is: the context chain (for `../`), the data frame, block params. */
interface Scope {
  context: unknown;
  /** The enclosing scope with a different context, for `../`. */
  up?: Scope;
  data: Record<string, unknown>;
  params?: BlockParams;
}

interface BlockParams {
  names: string[];
  values: unknown[];
  outer?: BlockParams;
}

export interface HelperInvocation {
  name: string;
  self: unknown;
  args: unknown[];
  options: BlockOptions;
}

export interface InterpreterHost {
  hasHelper(name: string): boolean;
  callHelper(invocation: HelperInvocation): unknown;
  /** Fails naming the current template and the line. */
  fail(line: number, message: string): never;
}

const is = <T extends Node>(type: string) => (node: Node): node is T => node.type === type;
const isPath = is<hbs.AST.PathExpression>("PathExpression");
const isBlock = is<hbs.AST.BlockStatement>("BlockStatement");
const isMustache = is<hbs.AST.MustacheStatement>("MustacheStatement");
const isSubExpression = is<hbs.AST.SubExpression>("SubExpression");
const isContent = is<hbs.AST.ContentStatement>("ContentStatement");
const isString = is<hbs.AST.StringLiteral>("StringLiteral");
const isNumber = is<hbs.AST.NumberLiteral>("NumberLiteral");
const isBoolean = is<hbs.AST.BooleanLiteral>("BooleanLiteral");

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `this.x`, `./x` and `this` never name a helper or a block param. */
const THIS_PATH = /^(?:this|\.)(?:[./]|$)/;

function property(base: unknown, key: string): unknown {
  if (base === undefined || base === null) return undefined;
  if (typeof base === "string") return key === "length" ? base.length : undefined;
  if (typeof base !== "object" && typeof base !== "function") return undefined;
  // Own properties only: templates never reach prototypes (constructor, __proto__).
  if (!Object.hasOwn(base, key)) return undefined;
  const value: unknown = Reflect.get(base, key);
  return value;
}

/** What a mustache prints: Go's %v, except that a missing value prints nothing. */
export function output(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : formatValue(value);
}

interface CallNode {
  path: Node;
  params: Node[];
  hash?: hbs.AST.Hash;
  loc: hbs.AST.SourceLocation;
}

export class Interpreter {
  constructor(private readonly host: InterpreterHost) {}

  /** Renders a program with `context` as `this` and `@root`. */
  render(program: hbs.AST.Program, context: unknown): string {
    return this.program(program, { context, data: { root: context } });
  }

  createFrame(data: unknown): Record<string, unknown> {
    const parent = typeof data === "object" && data !== null ? data : {};
    return { ...parent, _parent: parent };
  }

  private program(program: hbs.AST.Program, scope: Scope): string {
    let out = "";
    for (const node of program.body) {
      if (isContent(node)) out += node.value;
      else if (isMustache(node)) out += output(this.call(node, scope));
      else if (isBlock(node)) out += this.block(node, scope);
      else if (node.type !== "CommentStatement") {
        this.host.fail(node.loc.start.line, `${node.type} is not supported in this dialect (use include for named templates)`);
      }
    }
    return out;
  }

  private simpleName(path: Node): string | undefined {
    if (!isPath(path) || path.data || path.depth > 0 || path.parts.length !== 1) return undefined;
    return THIS_PATH.test(path.original) ? undefined : path.parts[0];
  }

  private options(node: CallNode, scope: Scope, name: string): BlockOptions {
    const hash: Record<string, unknown> = {};
    for (const pair of node.hash?.pairs ?? []) hash[pair.key] = this.value(pair.value, scope);
    return { name, hash, data: scope.data, loc: node.loc };
  }

  private call(node: CallNode, scope: Scope, blocks: Pick<BlockOptions, "fn" | "inverse"> = {}): unknown {
    const name = this.simpleName(node.path);
    const hasArgs = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (name !== undefined && this.host.hasHelper(name)) {
      const args = node.params.map((p) => this.value(p, scope));
      const options = { ...this.options(node, scope, name), ...blocks };
      return this.host.callHelper({ name, self: scope.context, args, options });
    }
    const target = this.value(node.path, scope);
    if (typeof target === "function") {
      const args = node.params.map((p) => this.value(p, scope));
      const result: unknown = Reflect.apply(target, scope.context, [...args, this.options(node, scope, name ?? "")]);
      return result;
    }
    if (hasArgs) {
      const label = isPath(node.path) ? node.path.original : String(this.value(node.path, scope));
      return this.host.fail(node.loc.start.line, `function ${JSON.stringify(label)} not defined`);
    }
    return target;
  }

  private block(node: hbs.AST.BlockStatement, scope: Scope): string {
    const fn = this.branch(node.program, scope);
    const inverse = this.branch(node.inverse, scope);
    const name = this.simpleName(node.path);
    if ((name !== undefined && this.host.hasHelper(name)) || node.params.length > 0) {
      return output(this.call(node, scope, { fn, inverse }));
    }
    // A section over a value (`{{#Values.list}}…{{/Values.list}}`), as Handlebars does it.
    const value = this.value(node.path, scope);
    if (value === true) return fn(scope.context);
    if (Array.isArray(value)) {
      if (value.length === 0) return inverse(scope.context);
      return value.map((item, index) => fn(item, { data: { ...this.createFrame(scope.data), index } })).join("");
    }
    return isEmpty(value) ? inverse(scope.context) : fn(value);
  }

  private branch(program: hbs.AST.Program | undefined, scope: Scope): NonNullable<BlockOptions["fn"]> {
    if (program === undefined) return () => "";
    return (context, options = {}) => {
      const data = isRecord(options.data) ? options.data : scope.data;
      const inner: Scope = {
        context,
        up: context === scope.context ? scope.up : scope,
        data,
        params: scope.params,
      };
      if (options.blockParams !== undefined && program.blockParams !== undefined && program.blockParams.length > 0) {
        inner.params = { names: program.blockParams, values: options.blockParams, outer: scope.params };
      }
      return this.program(program, inner);
    };
  }

  private value(node: Node, scope: Scope): unknown {
    if (isPath(node)) return this.path(node, scope);
    if (isSubExpression(node)) return this.call(node, scope);
    if (isString(node) || isNumber(node) || isBoolean(node)) return node.value;
    if (node.type === "NullLiteral") return null;
    if (node.type === "UndefinedLiteral") return undefined;
    throw new TemplateError(`unsupported expression ${node.type}`);
  }

  private path(node: hbs.AST.PathExpression, scope: Scope): unknown {
    const [head, ...rest] = node.parts;
    let base: unknown;
    if (node.data) {
      base = property(scope.data, head ?? "");
    } else if (node.depth === 0 && head !== undefined && !THIS_PATH.test(node.original) && this.hasParam(scope.params, head)) {
      base = this.param(scope.params, head);
    } else {
      let target: Scope | undefined = scope;
      for (let i = 0; i < node.depth && target !== undefined; i++) target = target.up;
      if (target === undefined) return undefined;
      return node.parts.reduce<unknown>((v, part) => property(v, part), target.context);
    }
    return rest.reduce<unknown>((v, part) => property(v, part), base);
  }

  private hasParam(params: BlockParams | undefined, name: string): boolean {
    for (let p = params; p !== undefined; p = p.outer) if (p.names.includes(name)) return true;
    return false;
  }

  private param(params: BlockParams | undefined, name: string): unknown {
    for (let p = params; p !== undefined; p = p.outer) {
      const i = p.names.indexOf(name);
      if (i >= 0) return p.values[i];
    }
    return undefined;
  }
}
