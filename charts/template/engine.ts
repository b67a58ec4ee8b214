// One render's template machinery: the helper families, the named templates (defines) of
// every chart in the tree, a stack saying which template is executing (so every error names
// it and the line), and the runtime that include / tpl / Files / lookup need. Templates are
// parsed by parser/ (Handlebars' grammar and AST) and evaluated by interpreter.ts (see there
// for why).
//
// Strictness, decided here: a missing value renders as "" (Helm's default, which replaces
// "<no value>"); calling an unknown helper, giving a helper the wrong number of arguments,
// including an unknown template or nesting includes deeper than MAX_INCLUDE_DEPTH are
// TemplateErrors naming the template and line.
import { TemplateError } from "../../core/errors.js";
import type { Values } from "../model.js";
import { findDefines } from "./defines.js";
import type { FileSet } from "./helpers/files.js";
import { allHelpers } from "./helpers/index.js";
import type { HelperCall, HelperTable, RenderRuntime } from "./helpers/spec.js";
import { Interpreter, type HelperInvocation } from "./interpreter.js";
import { unescapeStringLiterals } from "./literals.js";
import { parseTemplate } from "./parser/index.js";
import type { LookupFn } from "./types.js";

/** Helm allows 1000 nested includes of one name; the JS stack is the tighter limit here. */
export const MAX_INCLUDE_DEPTH = 100;

export type Program = hbs.AST.Program;

interface Frame {
  /** The template whose code is executing (a file name, or the file holding a define). */
  template: string;
  /** Set while running a `tpl` string: lines are relative to that string. */
  inTpl: boolean;
  files: FileSet;
}

interface Define {
  template: string;
  body: Program;
}

export interface EngineOptions {
  lookup?: LookupFn;
}

/**
 * Parsed templates by source text, shared by every render in this process: the GitOps controller
 * and `berth` actions render the same charts again and again, and parsing is most of a render's
 * cost. ASTs are never modified after parsing. Bounded by total source size (oldest dropped).
 */
class ParseCache {
  private readonly entries = new Map<string, Program>();
  private size = 0;
  constructor(private readonly maxChars: number) {}
  get(source: string): Program | undefined {
    return this.entries.get(source);
  }
  set(source: string, ast: Program): void {
    this.entries.set(source, ast);
    this.size += source.length;
    for (const key of this.entries.keys()) {
      if (this.size <= this.maxChars) break;
      this.entries.delete(key);
      this.size -= key.length;
    }
  }
}

const parsedTemplates = new ParseCache(64 * 1024 * 1024);

export class TemplateEngine implements RenderRuntime {
  private readonly helpers: HelperTable = allHelpers();
  private readonly defines = new Map<string, Define>();
  private readonly stack: Frame[] = [];
  private readonly tplCache = new Map<string, Program>();
  private readonly lookupFn?: LookupFn;
  private readonly interpreter: Interpreter;

  constructor(options: EngineOptions = {}) {
    this.lookupFn = options.lookup;
    this.interpreter = new Interpreter({
      hasHelper: (name) => Object.hasOwn(this.helpers, name),
      callHelper: (invocation) => this.callHelper(invocation),
      fail: (line, message) => this.fail(line, message),
    });
  }

  /** Parses a template, turning Handlebars' parse errors into one-line TemplateErrors. */
  parse(templateName: string, source: string): Program {
    const cached = parsedTemplates.get(source);
    if (cached !== undefined) return cached;
    let ast: Program;
    try {
      ast = unescapeStringLiterals(parseTemplate(source));
    } catch (err) {
      throw parseError(templateName, err);
    }
    parsedTemplates.set(source, ast);
    return ast;
  }

  /** Registers the file's defines; a later call with the same name wins, as in Helm. */
  addDefines(templateName: string, ast: Program): void {
    for (const def of findDefines(templateName, ast)) this.defines.set(def.name, { template: templateName, body: def.body });
  }

  /** Runs a parsed file with its root context. */
  render(templateName: string, ast: Program, context: unknown, files: FileSet): string {
    return this.run({ template: templateName, inTpl: false, files }, () => this.interpreter.render(ast, context));
  }

  include(name: string, ctx: unknown, call: HelperCall): string {
    const def = this.defines.get(name);
    if (def === undefined) return call.fail(`include: no template ${JSON.stringify(name)} is defined`);
    if (this.stack.length > MAX_INCLUDE_DEPTH) {
      return call.fail(`include ${JSON.stringify(name)}: templates nest deeper than ${MAX_INCLUDE_DEPTH} (a recursive include?)`);
    }
    return this.run({ template: def.template, inTpl: false, files: this.files() }, () => this.interpreter.render(def.body, ctx));
  }

  tpl(source: string, ctx: unknown, call: HelperCall): string {
    if (this.stack.length > MAX_INCLUDE_DEPTH) return call.fail(`tpl: templates nest deeper than ${MAX_INCLUDE_DEPTH}`);
    const frame: Frame = { template: this.current()?.template ?? "tpl", inTpl: true, files: this.files() };
    let ast = this.tplCache.get(source);
    if (ast === undefined) {
      const label = `${frame.template} (tpl)`;
      ast = this.parse(label, source);
      this.addDefines(label, ast);
      this.tplCache.set(source, ast);
    }
    const program = ast;
    return this.run(frame, () => this.interpreter.render(program, ctx));
  }

  files(): FileSet {
    return this.current()?.files ?? new Map<string, Buffer>();
  }

  lookup(apiVersion: string, kind: string, namespace: string, name: string): Values {
    return this.lookupFn?.(apiVersion, kind, namespace, name) ?? {};
  }

  createFrame(data: unknown): Record<string, unknown> {
    return this.interpreter.createFrame(data);
  }

  private current(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private run(frame: Frame, body: () => string): string {
    this.stack.push(frame);
    try {
      return body();
    } catch (err) {
      if (err instanceof TemplateError) throw err;
      const reason = err instanceof RangeError ? "templates nest too deeply (a recursive include?)" : String(err);
      throw new TemplateError(`template: ${this.location(undefined)}: ${reason}`, { cause: err });
    } finally {
      this.stack.pop();
    }
  }

  private location(line: number | undefined): string {
    const frame = this.current();
    const name = frame?.template ?? "template";
    if (line === undefined) return name;
    return frame?.inTpl ? `${name}: tpl:${line}` : `${name}:${line}`;
  }

  private fail(line: number | undefined, message: string): never {
    throw new TemplateError(`template: ${this.location(line)}: ${message}`);
  }

  private callHelper({ name, self, args, options }: HelperInvocation): unknown {
    const spec = this.helpers[name];
    const line = options.loc?.start.line;
    const call: HelperCall = { name, options, self, runtime: this, fail: (message) => this.fail(line, message) };
    if (spec === undefined) return call.fail(`function ${JSON.stringify(name)} not defined`);
    if (args.length < spec.min || args.length > spec.max) {
      const want = spec.min === spec.max ? `${spec.min}` : spec.max === Infinity ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
      call.fail(`wrong number of arguments for ${name}: want ${want}, got ${args.length}`);
    }
    try {
      return spec.fn(args, call);
    } catch (err) {
      if (err instanceof TemplateError || err instanceof RangeError) throw err;
      return call.fail(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Handlebars' multi-line parse messages become `template: NAME:LINE: parse error: ...`. */
function parseError(templateName: string, err: unknown): TemplateError {
  if (err instanceof TemplateError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const line = /on line (\d+)/.exec(message)?.[1] ?? / - (\d+):\d+$/.exec(message)?.[1];
  const lines = message.split("\n").filter((l) => l.trim() !== "");
  const last = (lines[lines.length - 1] ?? message).replace(/ - \d+:\d+$/, "");
  const detail = /got 'EOF'$/.test(last) ? "unexpected end of template (a block left open?)" : last;
  return new TemplateError(`template: ${templateName}${line === undefined ? "" : `:${line}`}: parse error: ${detail}`, { cause: err });
}
