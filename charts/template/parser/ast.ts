// The nodes Handlebars' parser builds (lib/handlebars/compiler/helpers.js and the grammar's
// actions), typed as they really are: the published hbs.AST types mark fields required that
// Handlebars leaves undefined (a mustache without a hash, a location's source).

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Location {
  source: string | undefined;
  start: Position;
  end: Position;
}

export interface StripFlags {
  open?: boolean;
  close?: boolean;
}

export interface PathExpression {
  type: "PathExpression";
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
  loc: Location;
}

export interface SubExpression {
  type: "SubExpression";
  path: Expression;
  params: Expression[];
  hash: Hash | undefined;
  loc: Location;
}

export type Literal =
  | { type: "StringLiteral"; value: string; original: string; loc: Location }
  | { type: "NumberLiteral"; value: number; original: number; loc: Location }
  | { type: "BooleanLiteral"; value: boolean; original: boolean; loc: Location }
  | { type: "UndefinedLiteral"; value: undefined; original: undefined; loc: Location }
  | { type: "NullLiteral"; value: null; original: null; loc: Location };

export type Expression = PathExpression | SubExpression | Literal;

export interface HashPair {
  type: "HashPair";
  key: string;
  value: Expression;
  loc: Location;
}

export interface Hash {
  type: "Hash";
  pairs: HashPair[];
  loc: Location;
}

export interface Program {
  type: "Program";
  body: Statement[];
  strip: StripFlags;
  loc: Location | undefined;
  blockParams?: string[];
  chained?: boolean;
}

export interface MustacheStatement {
  type: "MustacheStatement";
  path: Expression;
  params: Expression[];
  hash: Hash | undefined;
  escaped: boolean;
  strip: StripFlags;
  loc: Location;
}

export interface BlockStatement {
  type: "BlockStatement";
  path: Expression;
  params: Expression[];
  hash: Hash | undefined;
  program: Program | undefined;
  inverse: Program | undefined;
  openStrip: StripFlags;
  inverseStrip: StripFlags | undefined;
  closeStrip: StripFlags | undefined;
  loc: Location;
}

export interface ContentStatement {
  type: "ContentStatement";
  original: string;
  value: string;
  loc: Location;
}

export interface CommentStatement {
  type: "CommentStatement";
  value: string;
  strip: StripFlags;
  loc: Location;
}

export type Statement = MustacheStatement | BlockStatement | ContentStatement | CommentStatement;
