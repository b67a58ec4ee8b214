// Our Handlebars parser must build exactly Handlebars' AST (locations included) and reject
// exactly what Handlebars rejects; it is checked against Handlebars itself on a table of
// cases, on every template in the repository, and on seeded random templates.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../../charts/template/parser/index.js";
import { parseProgram } from "../../../charts/template/parser/parser.js";
import { pick, seededRandom, type Random } from "../../../core/random.js";

/** Both parsers' answer: the whitespace-controlled AST, or the fact that parsing failed. */
function reference(source: string): { ok: true; ast: hbs.AST.Program } | { ok: false } {
  try {
    return { ok: true, ast: Handlebars.parse(source) };
  } catch {
    return { ok: false };
  }
}

function fastParses(source: string): boolean {
  try {
    parseProgram(source);
    return true;
  } catch {
    return false;
  }
}

/** Asserts our answer is Handlebars' answer; returns whether our parser handled it itself. */
function expectSameAsHandlebars(source: string): boolean {
  const ref = reference(source);
  const fast = fastParses(source);
  if (!ref.ok) {
    expect(fast, `accepted what Handlebars rejects: ${JSON.stringify(source)}`).toBe(false);
    expect(() => parseTemplate(source)).toThrow();
    return fast;
  }
  expect(parseTemplate(source), JSON.stringify(source)).toEqual(ref.ast);
  if (fast) expect(Handlebars.parse(parseProgram(source))).toEqual(ref.ast);
  return fast;
}

const HANDLED: [string, string][] = [
  ["empty", ""],
  ["content only", "kind: Service\nmetadata:\n  name: x\n"],
  ["mustache", "name: {{Values.name}}"],
  ["unescaped", "a {{{Values.x}}} b {{~{ y }~}} c {{& z}}"],
  ["helper with params", '{{default "nginx" Values.image.repository}}'],
  ["subexpressions", "{{nindent 4 (toYaml (merge Values.a (dict \"k\" 1)))}}"],
  ["hash", '{{tpl x ctx=this name="n" depth=(add 1 2)}}'],
  ["literals", "{{f 1 -2.5 true false null undefined 'single' \"dq \\\" esc\"}}"],
  ["keywords as ids", "{{f trueish nullable asx}}"],
  ["paths", "{{../x}} {{../../a.b}} {{this}} {{this.x}} {{./x}} {{.}} {{a/b}} {{[a b].c}} {{@root.Values}} {{@index}} {{@../index}}"],
  ["bracket escapes", "{{[a\\]b]}} {{foo.[bar baz]}}"],
  ["whitespace control", "a  \n  {{~ x ~}}  \n b {{~#if y~}} c {{~else~}} d {{~/if~}} e"],
  ["standalone blocks", "list:\n{{#each Values.items}}\n  - {{this}}\n{{/each}}\nend\n"],
  ["standalone else", "{{#if a}}\n  x\n{{else}}\n  y\n{{/if}}\n"],
  ["else chain", "{{#if a}}A{{else if b}}B{{else if c}}C{{else}}D{{/if}}"],
  ["else chain standalone", "{{#if a}}\nA\n{{else if b}}\nB\n{{~else ~}}\nD\n{{/if}}\n"],
  ["caret inverse", "{{#if a}}A{{^}}B{{/if}} {{^ a}}none{{/a}} {{^a}}n{{else}}y{{/a}}"],
  ["block params", "{{#each items as |item i|}}{{i}}={{item}}{{/each}}"],
  ["section over value", "{{#Values.list}}[{{this}}]{{/Values.list}}"],
  ["comments", "a {{! short }} b {{!-- long }} with braces --}} c {{~!-- x --~}} d\n{{!-- standalone --}}\n"],
  ["empty long comment", "{{!--}}x"],
  ["defines", '{{#define "x.labels"~}}\napp: {{Chart.Name}}\n{{~/define}}\n{{include "x.labels" this}}'],
  ["crlf", "a: 1\r\n{{#if x}}\r\n  b: {{y}}\r\n{{/if}}\r\nc\r"],
  ["lone cr and unicode", "a\rb {{x}}\u2028c {{y}}\u2029 é {{z}}\n"],
  ["multi-line mustache", "{{list\n  a\n  (b\n c)\n  k=v\n}}"],
  ["double backslash before mustache", "path: C:\\\\{{x}}"],
  ["strings with braces", '{{printf "{{%s}}" x}}'],
  ["numbers", "{{f 0 12 3.25 -0 -7}}"],
  ["dash ids", "{{my-helper a-b}}"],
  ["nested blocks", "{{#with Values}}{{#each list}}{{#if this}}{{.}}{{/if}}{{/each}}{{/with}}"],
  ["literal helper names", '{{"str"}} {{1}} {{#"x"}}a{{/"x"}}'],
];

const REJECTED: [string, string][] = [
  ["unclosed block", "{{#if a}}x"],
  ["mismatched close", "{{#if a}}x{{/each}}"],
  ["stray close", "x{{/if}}"],
  ["stray else", "a{{else}}b"],
  ["empty mustache", "{{}}"],
  ["unterminated mustache", "{{x"],
  ["param after hash", "{{f a=1 b}}"],
  ["sexpr as helper name", "{{(f)}}"],
  ["invalid path", "{{a/../b}}"],
  ["invalid token", "{{a ; b}}"],
  ["chain after caret", "{{^a}}x{{else if b}}y{{/a}}"],
  ["unterminated string", '{{f "abc}}'],
  ["unterminated comment", "{{!-- abc }}"],
  ["nested mustache", "{{a {{b}} }}"],
];

const UNSUPPORTED: [string, string][] = [
  ["escaped mustache", "a \\{{x}} b"],
  ["raw block", "{{{{raw}}}} {{x}} {{{{/raw}}}}"],
  ["partial", "{{> part}}"],
  ["partial block", "{{#> part}}x{{/part}}"],
  ["decorator", "{{* deco}}"],
  ["decorator block", "{{#* inline \"x\"}}y{{/inline}}"],
  ["NUL", "a\x00b"],
];

describe("template parser", () => {
  it.each(HANDLED)("parses %s itself, exactly as Handlebars does", (_name, source) => {
    expect(expectSameAsHandlebars(source)).toBe(true);
  });

  it.each(REJECTED)("rejects %s, and the error is Handlebars' own", (_name, source) => {
    expect(expectSameAsHandlebars(source)).toBe(false);
    let ours: unknown;
    try {
      parseTemplate(source);
    } catch (err) {
      ours = err;
    }
    expect(() => Handlebars.parse(source)).toThrow(ours instanceof Error ? ours.message : "never");
  });

  it.each(UNSUPPORTED)("leaves %s to Handlebars", (_name, source) => {
    expect(fastParses(source)).toBe(false);
    expectSameAsHandlebars(source);
  });

  it("parses every template in the repository as Handlebars does", () => {
    const root = path.resolve(__dirname, "../../..");
    const files = ["examples", "test/fixtures", "charts/create"].flatMap((dir) => templateFiles(path.join(root, dir)));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expectSameAsHandlebars(readFileSync(file, "utf8"));
  });

  it("agrees with Handlebars on seeded random templates", () => {
    const random = seededRandom(20240601);
    let handled = 0;
    const total = 3000;
    for (let n = 0; n < total; n++) {
      const source = n % 3 === 2 ? mutate(randomTemplate(random, 3), random) : randomTemplate(random, 3);
      if (expectSameAsHandlebars(source)) handled++;
    }
    // Most random templates are valid and handled by our parser, not by the fallback.
    expect(handled).toBeGreaterThan(total / 2);
  });
});

function templateFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return templateFiles(full);
    return full.includes(`${path.sep}templates${path.sep}`) || name.endsWith(".tpl") ? [full] : [];
  });
}


const CONTENT = ["a", "key: v", "\n", "  ", "\n  ", "\r\n", "\t", " x ", "\n\n", "- item\n", "é", "}", "{", "\\\\"];
const EXPRS = ["foo", "foo.bar", "../x", "this", "this.a", ".", "@index", "@root.Values.x", '"s"', "'q'", "1", "-2.5", "true", "null", "undefined", "[a b]", "(f x)", "(g (h 1) k=2)", "a-b"];
const HELPERS = ["if", "each", "with", "unless", "define", "x.y"];

function ws(random: Random): string {
  return pick(random, ["", "", " ", "  ", "\n"]);
}

function tilde(random: Random): string {
  return random() < 0.3 ? "~" : "";
}

function args(random: Random): string {
  const out: string[] = [];
  const count = Math.floor(random() * 3);
  for (let i = 0; i < count; i++) out.push(pick(random, EXPRS));
  if (random() < 0.2) out.push(`k=${pick(random, EXPRS)}`);
  return out.map((a) => ` ${a}`).join("");
}

function statement(random: Random, depth: number): string {
  const r = random();
  if (r < 0.35) return pick(random, CONTENT);
  if (r < 0.6) return `{{${tilde(random)}${ws(random)}${pick(random, EXPRS.slice(0, 10))}${args(random)}${ws(random)}${tilde(random)}}}`;
  if (r < 0.65) return `{{${tilde(random)}{${pick(random, EXPRS.slice(0, 6))}}${tilde(random)}}}`;
  if (r < 0.7) return pick(random, ["{{! c }}", "{{!-- c }} --}}", "{{~!-- c --~}}", "\n{{! standalone }}\n"]);
  if (depth <= 0) return pick(random, CONTENT);
  return block(random, depth - 1);
}

function body(random: Random, depth: number): string {
  let out = "";
  const count = Math.floor(random() * 4);
  for (let i = 0; i < count; i++) out += statement(random, depth);
  return out;
}

function block(random: Random, depth: number): string {
  const name = pick(random, HELPERS);
  const inverted = random() < 0.15;
  const params = random() < 0.2 ? " as |a b|" : "";
  let out = `${ws(random)}{{${tilde(random)}${inverted ? "^" : "#"}${name}${args(random)}${params}${tilde(random)}}}${ws(random)}${body(random, depth)}`;
  const r = random();
  if (!inverted && r < 0.25) out += `{{${tilde(random)}else if${args(random)} x${tilde(random)}}}${body(random, depth)}`;
  if (r < 0.5) out += `${ws(random)}{{${tilde(random)}${pick(random, ["else", " else ", "^"])}${tilde(random)}}}${ws(random)}${body(random, depth)}`;
  return `${out}${ws(random)}{{${tilde(random)}/${name}${tilde(random)}}}${ws(random)}`;
}

function randomTemplate(random: Random, depth: number): string {
  return body(random, depth) + body(random, depth);
}

function mutate(source: string, random: Random): string {
  if (source === "") return "{{";
  const at = Math.floor(random() * source.length);
  const insert = pick(random, ["{{", "}}", "~", "(", ")", "=", "/", ".", '"', "'", "#", "^", "@", "|", "[", "]", " ", "!", "-", ""]);
  return source.slice(0, at) + insert + source.slice(at + (random() < 0.5 ? 1 : 0));
}
