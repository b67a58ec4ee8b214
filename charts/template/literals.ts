// Go template string literals interpret escapes ("a\nb" holds a newline); Handlebars keeps
// the backslash. Charts write `{{printf "%s\n" x}}` and `{{replace "\n" " " s}}`, so string
// literals are unescaped Go-style after parsing. (Handlebars itself already unescapes \".)
import Handlebars from "handlebars";

const SIMPLE: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'" };

export function unescapeGo(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (whole, esc: string) => {
    const simple = SIMPLE[esc];
    if (simple !== undefined) return simple;
    if (esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return whole;
  });
}

class GoStringLiterals extends Handlebars.Visitor {
  override StringLiteral(node: hbs.AST.StringLiteral): void {
    if (node.value.includes("\\")) node.value = unescapeGo(node.value);
  }
}

export function unescapeStringLiterals(ast: hbs.AST.Program): hbs.AST.Program {
  new GoStringLiterals().accept(ast);
  return ast;
}
