// A recursive-descent parser for Handlebars' grammar (handlebars.yy, v4.7) over the tokens of
// lexer.ts, building exactly the AST Handlebars' parseWithoutProcessing builds: the node
// builders below are ports of lib/handlebars/compiler/helpers.js, locations are jison's.
// Anything the grammar rejects raises Unsupported so that the caller asks Handlebars, whose
// error message is the one users see.
import type {
  BlockStatement,
  Expression,
  Hash,
  HashPair,
  Literal,
  Location,
  PathExpression,
  Program,
  Statement,
  StripFlags,
} from "./ast.js";
import { tokenize, Unsupported, type Token, type TokenType } from "./lexer.js";

export function parseProgram(source: string): Program {
  return new Parser(tokenize(source)).root();
}

interface OpenBlock {
  open: string;
  path: Expression;
  params: Expression[];
  hash: Hash | undefined;
  blockParams: string[] | undefined;
  strip: StripFlags;
}

interface InverseAndProgram {
  strip: StripFlags;
  program: Program;
  chain?: boolean;
}

interface CloseBlock {
  path?: Expression;
  strip: StripFlags;
}

function loc(first: Token, last: Token): Location {
  return { source: undefined, start: first.start, end: last.end };
}

function id(token: string): string {
  return /^\[.*\]$/.test(token) ? token.substring(1, token.length - 1) : token;
}

function stripFlags(open: string, close: string): StripFlags {
  return { open: open.charAt(2) === "~", close: close.charAt(close.length - 3) === "~" };
}

function stripComment(comment: string): string {
  return comment.replace(/^\{\{~?!-?-?/, "").replace(/-?-?~?\}\}$/, "");
}

interface PathPart {
  part: string;
  original: string;
  separator?: string;
}

function preparePath(data: boolean, parts: PathPart[], where: Location): PathExpression {
  let original = data ? "@" : "";
  const dig: string[] = [];
  let depth = 0;
  for (const { part, original: raw, separator } of parts) {
    const isLiteral = raw !== part;
    original += (separator ?? "") + part;
    if (!isLiteral && (part === ".." || part === "." || part === "this")) {
      if (dig.length > 0) throw new Unsupported(`Invalid path: ${original}`);
      if (part === "..") depth++;
    } else {
      dig.push(part);
    }
  }
  return { type: "PathExpression", data, depth, parts: dig, original, loc: where };
}

function prepareProgram(statements: Statement[], where?: Location): Program {
  const first = statements[0];
  const last = statements[statements.length - 1];
  if (where === undefined && first !== undefined && last !== undefined) {
    where = { source: first.loc.source, start: first.loc.start, end: last.loc.end };
  }
  return { type: "Program", body: statements, strip: {}, loc: where };
}

function originalOf(path: Expression): unknown {
  return path.type === "SubExpression" ? undefined : path.original;
}

function prepareBlock(
  openBlock: OpenBlock,
  program: Program,
  inverseAndProgram: InverseAndProgram | undefined,
  close: CloseBlock | undefined,
  inverted: boolean,
  where: Location,
): BlockStatement {
  if (close?.path !== undefined && originalOf(openBlock.path) !== originalOf(close.path)) {
    throw new Unsupported(`${String(originalOf(openBlock.path))} doesn't match ${String(originalOf(close.path))}`);
  }
  program.blockParams = openBlock.blockParams;
  let inverse: Program | undefined;
  let inverseStrip: StripFlags | undefined;
  if (inverseAndProgram !== undefined) {
    const chained = inverseAndProgram.program.body[0];
    if (inverseAndProgram.chain && chained?.type === "BlockStatement") chained.closeStrip = close?.strip;
    inverseStrip = inverseAndProgram.strip;
    inverse = inverseAndProgram.program;
  }
  const [fn, inv] = inverted ? [inverse, program] : [program, inverse];
  return {
    type: "BlockStatement",
    path: openBlock.path,
    params: openBlock.params,
    hash: openBlock.hash,
    program: fn,
    inverse: inv,
    openStrip: openBlock.strip,
    inverseStrip,
    closeStrip: close?.strip,
    loc: where,
  };
}

const PARAM_START: ReadonlySet<TokenType> = new Set(["ID", "DATA", "STRING", "NUMBER", "BOOLEAN", "UNDEFINED", "NULL", "OPEN_SEXPR"]);

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  root(): Program {
    const program = this.program();
    this.expect("EOF");
    return program;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private is(type: TokenType, offset = 0): boolean {
    return this.peek(offset)?.type === type;
  }

  private expect(type: TokenType): Token {
    const token = this.peek();
    if (token === undefined || token.type !== type) {
      throw new Unsupported(`expected ${type}, got ${token?.type ?? "nothing"}`);
    }
    this.i++;
    return token;
  }

  /** The last token consumed: where the node being reduced ends. */
  private last(): Token {
    const token = this.tokens[this.i - 1];
    if (token === undefined) throw new Unsupported("no token consumed");
    return token;
  }

  private program(): Program {
    const body: Statement[] = [];
    for (let token = this.peek(); token !== undefined; token = this.peek()) {
      if (token.type === "CONTENT") {
        this.i++;
        body.push({ type: "ContentStatement", original: token.text, value: token.text, loc: loc(token, token) });
      } else if (token.type === "COMMENT") {
        this.i++;
        const { text } = token;
        body.push({ type: "CommentStatement", value: stripComment(text), strip: stripFlags(text, text), loc: loc(token, token) });
      } else if (token.type === "OPEN" || token.type === "OPEN_UNESCAPED") {
        body.push(this.mustache());
      } else if (token.type === "OPEN_BLOCK" || token.type === "OPEN_INVERSE") {
        body.push(this.block());
      } else {
        break;
      }
    }
    return prepareProgram(body);
  }

  private mustache(): Statement {
    const open = this.expect(this.is("OPEN") ? "OPEN" : "OPEN_UNESCAPED");
    const path = this.helperName();
    const params = this.params();
    const hash = this.hash();
    const close = this.expect(open.type === "OPEN" ? "CLOSE" : "CLOSE_UNESCAPED");
    const escapeFlag = open.text.charAt(3) || open.text.charAt(2);
    return {
      type: "MustacheStatement",
      path,
      params,
      hash,
      escaped: escapeFlag !== "{" && escapeFlag !== "&",
      strip: stripFlags(open.text, close.text),
      loc: loc(open, close),
    };
  }

  private block(): BlockStatement {
    const open = this.peek();
    const inverted = this.is("OPEN_INVERSE");
    const openBlock = this.openBlock(inverted ? "OPEN_INVERSE" : "OPEN_BLOCK");
    const program = this.program();
    let inverse: InverseAndProgram | undefined;
    if (this.is("INVERSE")) inverse = this.inverseAndProgram();
    else if (!inverted && this.is("OPEN_INVERSE_CHAIN")) inverse = this.inverseChain();
    const endOpen = this.expect("OPEN_ENDBLOCK");
    const path = this.helperName();
    const endClose = this.expect("CLOSE");
    const close: CloseBlock = { path, strip: stripFlags(endOpen.text, endClose.text) };
    return prepareBlock(openBlock, program, inverse, close, inverted, loc(open ?? endOpen, endClose));
  }

  private openBlock(type: TokenType): OpenBlock {
    const open = this.expect(type);
    const path = this.helperName();
    const params = this.params();
    const hash = this.hash();
    const blockParams = this.is("OPEN_BLOCK_PARAMS") ? this.blockParams() : undefined;
    const close = this.expect("CLOSE");
    return { open: open.text, path, params, hash, blockParams, strip: stripFlags(open.text, close.text) };
  }

  private inverseAndProgram(): InverseAndProgram {
    const inverse = this.expect("INVERSE");
    return { strip: stripFlags(inverse.text, inverse.text), program: this.program() };
  }

  private inverseChain(): InverseAndProgram {
    const open = this.peek();
    const openBlock = this.openBlock("OPEN_INVERSE_CHAIN");
    const program = this.program();
    let nested: InverseAndProgram | undefined;
    if (this.is("INVERSE")) nested = this.inverseAndProgram();
    else if (this.is("OPEN_INVERSE_CHAIN")) nested = this.inverseChain();
    const inverse = prepareBlock(openBlock, program, nested, nested, false, loc(open ?? this.last(), this.last()));
    const chained = prepareProgram([inverse], program.loc);
    chained.chained = true;
    return { strip: openBlock.strip, program: chained, chain: true };
  }

  private blockParams(): string[] {
    this.expect("OPEN_BLOCK_PARAMS");
    const names = [this.expect("ID").text];
    while (this.is("ID")) names.push(this.expect("ID").text);
    this.expect("CLOSE_BLOCK_PARAMS");
    // Handlebars applies its bracket-stripping id() to the whole list, which throws when the
    // list reads as one bracketed name; leave that case to Handlebars.
    if (/^\[.*\]$/.test(names.join(","))) throw new Unsupported("bracketed block param");
    return names;
  }

  private params(): Expression[] {
    const params: Expression[] = [];
    while (this.isParamStart()) params.push(this.param());
    return params;
  }

  private isParamStart(): boolean {
    const token = this.peek();
    if (token === undefined || !PARAM_START.has(token.type)) return false;
    return !(token.type === "ID" && this.is("EQUALS", 1));
  }

  private param(): Expression {
    return this.is("OPEN_SEXPR") ? this.sexpr() : this.helperName();
  }

  private sexpr(): Expression {
    const open = this.expect("OPEN_SEXPR");
    const path = this.helperName();
    const params = this.params();
    const hash = this.hash();
    const close = this.expect("CLOSE_SEXPR");
    return { type: "SubExpression", path, params, hash, loc: loc(open, close) };
  }

  private hash(): Hash | undefined {
    const first = this.peek();
    if (first === undefined || !(first.type === "ID" && this.is("EQUALS", 1))) return undefined;
    const pairs: HashPair[] = [];
    while (this.is("ID") && this.is("EQUALS", 1)) {
      const key = this.expect("ID");
      this.expect("EQUALS");
      const value = this.param();
      pairs.push({ type: "HashPair", key: id(key.text), value, loc: loc(key, this.last()) });
    }
    return { type: "Hash", pairs, loc: loc(first, this.last()) };
  }

  private helperName(): Expression {
    const token = this.peek();
    if (token === undefined) throw new Unsupported("unexpected end of input");
    if (token.type === "ID") return this.path(false, token);
    if (token.type === "DATA") {
      this.i++;
      return this.path(true, token);
    }
    const literal = this.literal(token);
    this.i++;
    return literal;
  }

  private literal(token: Token): Literal {
    const where = loc(token, token);
    const { text } = token;
    switch (token.type) {
      case "STRING":
        return { type: "StringLiteral", value: text, original: text, loc: where };
      case "NUMBER":
        return { type: "NumberLiteral", value: Number(text), original: Number(text), loc: where };
      case "BOOLEAN":
        return { type: "BooleanLiteral", value: text === "true", original: text === "true", loc: where };
      case "UNDEFINED":
        return { type: "UndefinedLiteral", value: undefined, original: undefined, loc: where };
      case "NULL":
        return { type: "NullLiteral", value: null, original: null, loc: where };
      default:
        throw new Unsupported(`unexpected ${token.type}`);
    }
  }

  /** pathSegments: ID (SEP ID)*; a data name's location starts at its "@". */
  private path(data: boolean, start: Token): PathExpression {
    const first = this.expect("ID");
    const parts: PathPart[] = [{ part: id(first.text), original: first.text }];
    while (this.is("SEP")) {
      const separator = this.expect("SEP").text;
      const next = this.expect("ID");
      parts.push({ part: id(next.text), original: next.text, separator });
    }
    return preparePath(data, parts, loc(start, this.last()));
  }
}
