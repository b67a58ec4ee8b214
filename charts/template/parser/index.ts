// Parses a template into Handlebars' AST. Our parser (lexer.ts, parser.ts) covers the syntax
// charts use and is several times faster than Handlebars' jison parser, which was most of a
// first render's cost; for anything else, including every syntax error, Handlebars parses
// (so its messages are the ones users see). Handlebars then applies its whitespace control
// (`~` and standalone lines) to our AST exactly as it does to its own.
import Handlebars from "handlebars";
import type { Program } from "./ast.js";
import { parseProgram } from "./parser.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Handlebars {
    /** Handlebars.parse returns a Program it is given unparsed, only whitespace-controlled
     * (compiler/base.js: parseWithoutProcessing returns `input` when it is a Program). */
    function parse(input: Program): hbs.AST.Program;
  }
}

export function parseTemplate(source: string): hbs.AST.Program {
  let ast: Program;
  try {
    ast = parseProgram(source);
  } catch {
    return Handlebars.parse(source);
  }
  return Handlebars.parse(ast);
}
