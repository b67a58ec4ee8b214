// One render's Handlebars environment: the helper families, the named templates (defines)
// of every chart in the tree, a stack saying which template is executing (so every error
// names it and the line), and the runtime that include / tpl / Files / lookup need.
//
// Strictness, decided here: a missing value renders as "" (Helm's default, which replaces
// "<no value>"); calling an unknown helper, giving a helper the wrong number of arguments,
// including an unknown template or nesting includes deeper than MAX_INCLUDE_DEPTH are
// TemplateErrors naming the template and line.
import Handlebars from "handlebars";
import { TemplateError } from "../../core/errors.js";
import type { Values } from "../model.js";
import { findDefines } from "./defines.js";
import { allHelpers } from "./helpers/index.js";
import { unescapeStringLiterals } from "./literals.js";
import type { FileSet } from "./helpers/files.js";
import { isBlockOptions, type BlockOptions, type HelperCall, type HelperSpec, type RenderRuntime } from "./helpers/spec.js";
import type { LookupFn } from "./types.js";

/** Helm allows 1000 nested includes of one name; the JS stack is the tighter limit here. */
export const MAX_INCLUDE_DEPTH = 100;

type TemplateFn = (context: unknown, options?: { data?: unknown }) => string;

interface Frame {
  /** The template whose code is executing (a file name, or the file holding a define). */
  template: string;
  /** Set while running a `tpl` string: lines are relative to that string. */
  inTpl: boolean;
  files: FileSet;
}

interface Define {
  template: string;
  fn: TemplateFn;
}

const COMPILE_OPTIONS = { noEscape: true, ignoreStandalone: true } as const;

export interface EngineOptions {
  lookup?: LookupFn;
}

export class TemplateEngine implements RenderRuntime {
  private readonly hb = Handlebars.create();
  private readonly defines = new Map<string, Define>();
  private readonly stack: Frame[] = [];
  private readonly tplCache = new Map<string, TemplateFn>();
  private readonly lookupFn?: LookupFn;

  constructor(options: EngineOptions = {}) {
    this.lookupFn = options.lookup;
    for (const [name, spec] of Object.entries(allHelpers())) this.hb.registerHelper(name, this.wrap(name, spec));
  }

  /** Parses a template, turning Handlebars' parse errors into one-line TemplateErrors. */
  parse(templateName: string, source: string): hbs.AST.Program {
    try {
      return unescapeStringLiterals(this.hb.parse(source));
    } catch (err) {
      throw parseError(templateName, err);
    }
  }

  /** Registers the file's defines; a later call with the same name wins, as in Helm. */
  addDefines(templateName: string, ast: hbs.AST.Program): void {
    for (const def of findDefines(templateName, ast)) {
      this.defines.set(def.name, { template: templateName, fn: this.compile(templateName, def.body) });
    }
  }

  compile(templateName: string, ast: hbs.AST.Program): TemplateFn {
    try {
      return this.hb.compile(ast, COMPILE_OPTIONS);
    } catch (err) {
      throw parseError(templateName, err);
    }
  }

  /** Runs a compiled file with its root context. */
  render(templateName: string, fn: TemplateFn, context: unknown, files: FileSet): string {
    return this.run({ template: templateName, inTpl: false, files }, () => fn(context));
  }

  include(name: string, ctx: unknown, call: HelperCall): string {
    const def = this.defines.get(name);
    if (def === undefined) return call.fail(`include: no template ${JSON.stringify(name)} is defined`);
    if (this.stack.length > MAX_INCLUDE_DEPTH) {
      return call.fail(`include ${JSON.stringify(name)}: templates nest deeper than ${MAX_INCLUDE_DEPTH} (a recursive include?)`);
    }
    return this.run({ template: def.template, inTpl: false, files: this.files() }, () => def.fn(ctx));
  }

  tpl(source: string, ctx: unknown, call: HelperCall): string {
    const caller = this.current();
    if (this.stack.length > MAX_INCLUDE_DEPTH) return call.fail(`tpl: templates nest deeper than ${MAX_INCLUDE_DEPTH}`);
    const frame: Frame = { template: caller?.template ?? "tpl", inTpl: true, files: this.files() };
    let fn = this.tplCache.get(source);
    if (fn === undefined) {
      const label = `${frame.template} (tpl)`;
      const ast = this.parse(label, source);
      this.addDefines(label, ast);
      fn = this.compile(label, ast);
      this.tplCache.set(source, fn);
    }
    const compiled = fn;
    return this.run(frame, () => compiled(ctx));
  }

  files(): FileSet {
    return this.current()?.files ?? new Map<string, Buffer>();
  }

  lookup(apiVersion: string, kind: string, namespace: string, name: string): Values {
    return this.lookupFn?.(apiVersion, kind, namespace, name) ?? {};
  }

  createFrame(data: unknown): Record<string, unknown> {
    const frame: unknown = this.hb.createFrame(data ?? {});
    return typeof frame === "object" && frame !== null ? { ...frame } : {};
  }

  private current(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private run(frame: Frame, body: () => string): string {
    this.stack.push(frame);
    try {
      return body();
    } catch (err) {
      throw this.asTemplateError(err);
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

  /** Errors from Handlebars itself (not our helpers) get the template name added. */
  private asTemplateError(err: unknown): TemplateError {
    if (err instanceof TemplateError) return err;
    if (err instanceof RangeError) {
      return new TemplateError(`template: ${this.location(undefined)}: templates nest too deeply (a recursive include?)`, { cause: err });
    }
    const message = err instanceof Error ? err.message : String(err);
    const line = /- (\d+):\d+$/.exec(message)?.[1];
    const clean = message.replace(/ - \d+:\d+$/, "");
    return new TemplateError(`template: ${this.location(line === undefined ? undefined : Number(line))}: ${clean}`, { cause: err });
  }

  private makeCall(name: string, options: BlockOptions, self: unknown): HelperCall {
    const line = options.loc?.start.line;
    return {
      name,
      options,
      self,
      runtime: this,
      fail: (message: string): never => {
        throw new TemplateError(`template: ${this.location(line)}: ${message}`);
      },
    };
  }

  private wrap(name: string, spec: HelperSpec): Handlebars.HelperDelegate {
    const makeCall = (options: BlockOptions, self: unknown): HelperCall => this.makeCall(name, options, self);
    const toError = (err: unknown, call: HelperCall): TemplateError => {
      if (err instanceof TemplateError) return err;
      try {
        return call.fail(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      } catch (wrapped) {
        return this.asTemplateError(wrapped);
      }
    };
    return function (this: unknown, ...raw: unknown[]): unknown {
      const options = raw.pop();
      if (!isBlockOptions(options)) throw new TemplateError(`template: helper ${name} was called without Handlebars options`);
      const call = makeCall(options, this);
      if (raw.length < spec.min || raw.length > spec.max) {
        const want = spec.min === spec.max ? `${spec.min}` : spec.max === Infinity ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
        call.fail(`wrong number of arguments for ${name}: want ${want}, got ${raw.length}`);
      }
      try {
        return spec.fn(raw, call);
      } catch (err) {
        throw toError(err, call);
      }
    };
  }
}

/** Handlebars' multi-line parse messages become `template: NAME:LINE: parse error: ...`. */
function parseError(templateName: string, err: unknown): TemplateError {
  if (err instanceof TemplateError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const line = /on line (\d+)/.exec(message)?.[1] ?? / - (\d+):\d+$/.exec(message)?.[1];
  const lines = message.split("\n").filter((l) => l.trim() !== "");
  const detail = (lines[lines.length - 1] ?? message).replace(/ - \d+:\d+$/, "");
  return new TemplateError(`template: ${templateName}${line === undefined ? "" : `:${line}`}: parse error: ${detail}`, { cause: err });
}
