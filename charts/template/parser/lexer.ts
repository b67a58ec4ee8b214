// A lexer for the Handlebars syntax our templates use, token for token what Handlebars'
// jison lexer (handlebars.l, v4.7) produces: the same rules in the same order, first match
// wins, and locations computed as jison computes them. It reads at an index with sticky
// regular expressions instead of slicing its input per token, which is most of why it is
// several times faster. Syntax it does not cover (raw blocks, partials, decorators, escaped
// mustaches, NUL characters) raises Unsupported and the caller falls back to Handlebars.

export type TokenType =
  | "CONTENT"
  | "COMMENT"
  | "OPEN"
  | "OPEN_UNESCAPED"
  | "OPEN_BLOCK"
  | "OPEN_ENDBLOCK"
  | "OPEN_INVERSE"
  | "OPEN_INVERSE_CHAIN"
  | "INVERSE"
  | "CLOSE"
  | "CLOSE_UNESCAPED"
  | "OPEN_SEXPR"
  | "CLOSE_SEXPR"
  | "EQUALS"
  | "ID"
  | "SEP"
  | "STRING"
  | "NUMBER"
  | "BOOLEAN"
  | "UNDEFINED"
  | "NULL"
  | "DATA"
  | "OPEN_BLOCK_PARAMS"
  | "CLOSE_BLOCK_PARAMS"
  | "EOF";

/** A place in the source as jison's yylloc has it: 1-based line, 0-based column. Shared by
 * every token and node that starts or ends there (an AST holds tens of thousands), never
 * modified. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Token {
  type: TokenType;
  start: Position;
  end: Position;
  /** jison's yytext after the rule's action (quotes stripped from strings, etc.). */
  text: string;
}

/** Input outside what this lexer and parser cover, or not valid Handlebars at all. */
export class Unsupported extends Error {}

/** What follows `{{` or `{{~`, by its first character, in handlebars.l's rule order. */
const INVERSE_CARET = /\{\{~?\^\s*~?\}\}/y;
const ELSE_INVERSE = /\{\{~?\s*else\s*~?\}\}/y;
const ELSE_CHAIN = /\{\{~?\s*else\b/y;
const SHORT_COMMENT = /\{\{~?![\s\S]*?\}\}/y;
const LONG_COMMENT = /[\s\S]*?--~?\}\}/y;
const WHITESPACE = /\s+/y;
const CLOSE_RAW = /\}\}\}\}/y;
const CLOSE_UNESCAPED = /\}~?\}\}/y;
const CLOSE = /~?\}\}/y;
const DOUBLE_QUOTED = /"(\\["]|[^"])*"/y;
const SINGLE_QUOTED = /'(\\[']|[^'])*'/y;
/** Keyword and number rules by first character; each is tried before the ID rule. */
const LITERALS: Record<string, readonly [RegExp, TokenType]> = {
  t: [/true(?=[~}\s)])/y, "BOOLEAN"],
  f: [/false(?=[~}\s)])/y, "BOOLEAN"],
  u: [/undefined(?=[~}\s)])/y, "UNDEFINED"],
  n: [/null(?=[~}\s)])/y, "NULL"],
  a: [/as\s+\|/y, "OPEN_BLOCK_PARAMS"],
};
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?=[~}\s)])/y;
const BRACKET_ID = /\[(\\\]|[^\]])*\]/y;
const SPACE = /\s/;

/** `{{!--` or `{{~!--` starts a comment that only `--}}` ends. */
function isLongComment(source: string, pos: number): boolean {
  return source.startsWith("!--", pos + (source[pos + 2] === "~" ? 3 : 2));
}

function stickyMatch(re: RegExp, source: string, pos: number): string | undefined {
  re.lastIndex = pos;
  return re.exec(source)?.[0];
}

/** JavaScript's \s, with a fast answer for ASCII. */
function isSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return SPACE.test(String.fromCharCode(code));
}

/** ASCII characters an ID may not contain: \s ! " # % & ' ( ) * + , . / ; < = > @ [ \ ] ^ ` { | } ~ */
const NOT_ID = new Uint8Array(128);
for (const ch of "!\"#%&'()*+,./;<=>@[\\]^`{|}~") NOT_ID[ch.charCodeAt(0)] = 1;

function isIdChar(code: number): boolean {
  return code < 128 ? NOT_ID[code] === 0 && !isSpace(code) : !isSpace(code);
}

/** The ID rule's lookahead: [=~}\s/.)|] */
function endsId(code: number): boolean {
  return code === 61 || code === 126 || code === 125 || code === 47 || code === 46 || code === 41 || code === 124 || isSpace(code);
}

/** Splits a template into tokens; throws Unsupported where Handlebars would differ or fail. */
export function tokenize(source: string): Token[] {
  if (source.includes("\x00")) throw new Unsupported("NUL character");
  return new Lexer(source).run();
}

class Lexer {
  private pos = 0;
  /** jison's yylineno + 1 and yylloc.last_column: where the next match starts. */
  private here: Position = { line: 1, column: 0 };
  private inMustache = false;
  private readonly tokens: Token[] = [];

  constructor(private readonly source: string) {}

  run(): Token[] {
    while (this.pos < this.source.length) {
      if (this.inMustache) this.mustacheToken();
      else this.content();
    }
    if (this.inMustache) throw new Unsupported("unterminated mustache");
    this.emit("EOF", "");
    return this.tokens;
  }

  /** Consumes `raw` and records a token spanning it (jison's yylloc update). */
  private take(raw: string, type?: TokenType, text: string = raw): void {
    const start = this.here;
    this.here = this.advance(start, raw);
    this.pos += raw.length;
    if (type !== undefined) this.tokens.push({ type, text, start, end: this.here });
  }

  /** Lines end at \r\n, \r or \n; jison's column stops at a later \u2028 or \u2029 too. */
  private advance(from: Position, raw: string): Position {
    let breaks = 0;
    let lineStart = -1;
    for (let i = 0; i < raw.length; i++) {
      const code = raw.charCodeAt(i);
      if (code === 10 || code === 13) {
        breaks++;
        if (code === 13 && raw.charCodeAt(i + 1) === 10) i++;
        lineStart = i + 1;
      }
    }
    if (breaks === 0) return { line: from.line, column: from.column + raw.length };
    const tail = raw.slice(lineStart);
    const stop = tail.search(/[\u2028\u2029]/);
    return { line: from.line + breaks, column: stop < 0 ? tail.length : stop };
  }

  private emit(type: TokenType, text: string): void {
    this.tokens.push({ type, text, start: this.here, end: this.here });
  }

  private content(): void {
    const next = this.source.indexOf("{{", this.pos);
    if (next < 0) {
      this.take(this.source.slice(this.pos), "CONTENT");
      return;
    }
    const raw = this.source.slice(this.pos, next);
    let text = raw;
    if (raw.endsWith("\\\\")) text = raw.slice(0, -1);
    else if (raw.endsWith("\\")) throw new Unsupported("escaped mustache");
    this.take(raw, text === "" ? undefined : "CONTENT", text);
    this.inMustache = true;
  }

  private mustacheToken(): void {
    const { source, pos } = this;
    const ch = source[pos] ?? "";
    const code = source.charCodeAt(pos);
    if (ch === "{" && source[pos + 1] === "{") return this.opener();
    if (ch === "(") return this.take("(", "OPEN_SEXPR");
    if (ch === ")") return this.take(")", "CLOSE_SEXPR");
    if (ch === "=") return this.take("=", "EQUALS");
    if (ch === ".") {
      if (source[pos + 1] === ".") return this.take("..", "ID");
      return this.take(".", endsId(source.charCodeAt(pos + 1)) ? "ID" : "SEP");
    }
    if (ch === "/") return this.take("/", "SEP");
    if (isSpace(code)) return this.take(stickyMatch(WHITESPACE, source, pos) ?? ch);
    if (ch === "}" || ch === "~") return this.closer();
    if (ch === '"' || ch === "'") return this.quoted(ch);
    if (ch === "@") return this.take("@", "DATA");
    const literal = ch === "-" || (code >= 48 && code <= 57) ? ([NUMBER, "NUMBER"] as const) : LITERALS[ch];
    const text = literal === undefined ? undefined : stickyMatch(literal[0], source, pos);
    if (literal !== undefined && text !== undefined) return this.take(text, literal[1]);
    if (ch === "|") return this.take("|", "CLOSE_BLOCK_PARAMS");
    let end = pos;
    while (end < source.length && isIdChar(source.charCodeAt(end))) end++;
    if (end > pos && end < source.length && endsId(source.charCodeAt(end))) return this.take(source.slice(pos, end), "ID");
    const bracketed = stickyMatch(BRACKET_ID, source, pos);
    if (bracketed !== undefined) return this.take(bracketed, "ID", bracketed.replace(/\\([\\\]])/g, "$1"));
    throw new Unsupported(`invalid token at ${this.here.line}:${this.here.column}`);
  }

  /** At `{{`: the first of handlebars.l's `{{` rules that matches. */
  private opener(): void {
    const { source, pos } = this;
    const tilde = source[pos + 2] === "~" ? 1 : 0;
    const open = source.slice(pos, pos + 2 + tilde);
    const next = source[pos + 2 + tilde] ?? "";
    if (source.startsWith("{{{{", pos) || next === ">" || next === "*" || (next === "#" && "*>".includes(source[pos + 3 + tilde] ?? "-"))) {
      throw new Unsupported("raw blocks, partials and decorators are left to Handlebars");
    }
    if (next === "#") return this.take(`${open}#`, "OPEN_BLOCK");
    if (next === "/") return this.take(`${open}/`, "OPEN_ENDBLOCK");
    if (next === "^") {
      const inverse = stickyMatch(INVERSE_CARET, source, pos);
      if (inverse !== undefined) return this.leave(inverse, "INVERSE");
      return this.take(`${open}^`, "OPEN_INVERSE");
    }
    if (next === "e" || isSpace(source.charCodeAt(pos + 2 + tilde))) {
      const inverse = stickyMatch(ELSE_INVERSE, source, pos);
      if (inverse !== undefined) return this.leave(inverse, "INVERSE");
      const chain = stickyMatch(ELSE_CHAIN, source, pos);
      if (chain !== undefined) return this.take(chain, "OPEN_INVERSE_CHAIN");
    }
    if (next === "{") return this.take(`${open}{`, "OPEN_UNESCAPED");
    if (next === "&") return this.take(`${open}&`, "OPEN");
    if (next === "!") return this.comment();
    this.take(open, "OPEN");
  }

  private comment(): void {
    const long = isLongComment(this.source, this.pos);
    const comment = stickyMatch(long ? LONG_COMMENT : SHORT_COMMENT, this.source, this.pos);
    if (comment === undefined) throw new Unsupported("unterminated comment");
    this.leave(comment, "COMMENT");
  }

  /** Tokens that end a mustache return the lexer to content. */
  private leave(raw: string, type: TokenType): void {
    this.take(raw, type);
    this.inMustache = false;
  }

  private closer(): void {
    if (stickyMatch(CLOSE_RAW, this.source, this.pos) !== undefined) throw new Unsupported("raw block close");
    const unescaped = stickyMatch(CLOSE_UNESCAPED, this.source, this.pos);
    const close = unescaped ?? stickyMatch(CLOSE, this.source, this.pos);
    if (close === undefined) throw new Unsupported(`invalid token at ${this.here.line}:${this.here.column}`);
    this.take(close, unescaped === undefined ? "CLOSE" : "CLOSE_UNESCAPED");
    this.inMustache = false;
  }

  private quoted(quote: string): void {
    const text = stickyMatch(quote === '"' ? DOUBLE_QUOTED : SINGLE_QUOTED, this.source, this.pos);
    if (text === undefined) throw new Unsupported(`unterminated string at ${this.here.line}:${this.here.column}`);
    const inner = text.slice(1, -1);
    this.take(text, "STRING", quote === '"' ? inner.replace(/\\"/g, '"') : inner.replace(/\\'/g, "'"));
  }
}
