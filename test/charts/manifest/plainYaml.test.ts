// The plain-YAML fast path must give exactly the yaml library's objects, and leave to the
// library every document it does not fully understand (and every document with an error).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { parsePlainYaml } from "../../../charts/manifest/plainYaml.js";
import { splitDocuments } from "../../../charts/manifest/split.js";
import { pick, seededRandom, type Random } from "../../../core/random.js";

function library(text: string): { ok: true; value: unknown } | { ok: false } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { ok: false };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch {
    return { ok: false };
  }
}

/** Asserts the fast path agrees with the library; returns whether it answered itself. */
function expectSameAsLibrary(text: string): boolean {
  const fast = parsePlainYaml(text);
  const ref = library(text);
  if (fast === undefined) return false;
  expect(ref.ok, `accepted what the library rejects: ${JSON.stringify(text)}`).toBe(true);
  if (ref.ok) expect(fast, JSON.stringify(text)).toStrictEqual(ref.value);
  return true;
}

const HANDLED: [string, string][] = [
  ["configmap", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    app: gen\ndata:\n  a: \"1\"\n"],
  ["scalars", "a: 1\nb: +2\nc: 012\nd: 1.5\ne: .5\nf: 1.\ng: 1e3\nh: 2E-2\ni: true\nj: False\nk: NULL\nl: ~\nm:\nn: yes\no: 1.16.0\np: v1\nq: a:b\nr: a#b\ns: 12345678901234567890"],
  ["quoted", "a: \"x \\\"y\\\" \\n\\t z\"\nb: 'it''s'\nc: \"\"\nd: ''\ne: 'é ü'\n"],
  ["flow json", 'settings: {"a":1,"b":["x","y"],"c":{"d":null,"e":true,"f":1.5}}\nl: []\nm: {}\n'],
  ["sequences", "a:\n- x\n- 2\nb:\n  - c: 1\n    d: 2\n  - e\n  -\n  - - n1\n    - n2\nc: z\n"],
  ["seq item maps", "containers:\n  - name: web\n    image: nginx:1.25\n    ports:\n      - containerPort: 80\n        protocol: TCP\n  - name: side\n"],
  ["comments and blanks", "# head\n\na: 1   \n  # indented comment\nb:\n\n  c: 2\n# tail\n"],
  ["literal", "data:\n  conf: |\n    line 1\n      indented\n\n    # not a comment\n  other: |-\n    x\n    y\n\n\nz: 1\n"],
  ["literal at end", "data:\n  conf: |\n    last"],
  ["literal with spaces on blank lines", "a: |\n  x\n      \n  y\n"],
  ["keys with dots and slashes", "metadata:\n  annotations:\n    helm.sh/hook: pre-install\n    app.kubernetes.io/name: x\n    a-b_c: d\n"],
  ["indented document", "  a: 1\n  b: 2\n"],
];

const LEFT_TO_LIBRARY: [string, string][] = [
  ["anchors", "a: &x 1\nb: *x\n"],
  ["tags", "a: !!str 1\n"],
  ["multi-line plain", "a: one\n  two\n"],
  ["trailing comment", "a: 1 # c\n"],
  ["tabs", "a:\t1\n"],
  ["crlf", "a: 1\r\nb: 2\r\n"],
  ["duplicate key", "a: 1\na: 2\n"],
  ["folded", "a: >\n  x\n"],
  ["keep chomping", "a: |+\n  x\n\n"],
  ["hex and octal", "a: 0x1F\nb: 0o17\n"],
  ["special floats", "a: .inf\nb: .NaN\n"],
  ["negative numbers", "a: -1\n"],
  ["quoted keys", '"a": 1\n'],
  ["numeric keys", "1: a\n"],
  ["null and bool keys", "null: a\n"],
  ["proto key", "__proto__: a\n"],
  ["non-canonical json", 'a: {"x": 1}\n'],
  ["flow with plain keys", "a: {x: 1}\n"],
  ["top-level list", "- a\n- b\n"],
  ["top-level scalar", "hello\n"],
  ["bad indentation", "a:\n    b: 1\n  c: 2\n"],
  ["unicode escapes", 'a: "\\u00e9"\n'],
  ["document end", "a: 1\n...\n"],
  ["empty literal", "a: |\nb: 1\n"],
  ["over-indented leading blank", "a: |\n      \n  x\n"],
];

describe("plain YAML fast path", () => {
  it.each(HANDLED)("parses %s itself, exactly as the yaml library does", (_name, text) => {
    expect(expectSameAsLibrary(text)).toBe(true);
  });

  it.each(LEFT_TO_LIBRARY)("leaves %s to the library", (_name, text) => {
    expect(parsePlainYaml(text)).toBeUndefined();
  });

  it("agrees with the library on every rendered document in the golden files", () => {
    const root = path.resolve(__dirname, "../../..");
    const files = ["test/golden", "test/charts/template/golden"].flatMap((d) => walk(path.join(root, d)));
    let handled = 0;
    for (const file of files) {
      for (const doc of splitDocuments(readFileSync(file, "utf8"))) if (expectSameAsLibrary(doc.text)) handled++;
    }
    expect(handled).toBeGreaterThan(10);
  });

  it("agrees with the library on seeded random documents", () => {
    const random = seededRandom(7);
    let handled = 0;
    const total = 4000;
    for (let n = 0; n < total; n++) {
      const text = randomDocument(random);
      if (expectSameAsLibrary(n % 4 === 3 ? mutate(text, random) : text)) handled++;
    }
    expect(handled).toBeGreaterThan(total / 4);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}


const SCALARS = [
  "x", "nginx:1.25", "1", "0", "+3", "007", "1.5", ".5", "1.", "1e3", "1_000", "true", "True", "TRUE", "tRue", "false",
  "null", "Null", "~", "yes", "on", "1.16.0", "v1", "a b", "a#b", "'q'", "'it''s'", '"dq"', '"a\\"b"', '"\\t\\n"',
  '{"a":1}', '["x",2]', "{}", "[]", "é", "http://x/y", "x  ", "2024-01-01",
];
const TRICKY_SCALARS = [
  "0x1F", "-2", "a: b", "a #b", '"\\x41"', '{"a": 1}', "[1, 2]", "*a", "&a b", "!t x", "|", "|-", ">", "@x", "`x`", "%x",
  "-", "- x", "? x", ": x", "a:", ".inf", "-.inf", ".nan",
];
const KEYS = ["a", "b", "name", "app.kubernetes.io/name", "helm.sh/hook", "a-b", "_x", "k", "c", "d"];
const TRICKY_KEYS = ["1", "true", "null", '"q"', "a b"];

function scalar(random: Random): string {
  return random() < 0.05 ? pick(random, TRICKY_SCALARS) : pick(random, SCALARS);
}

function key(random: Random): string {
  return random() < 0.03 ? pick(random, TRICKY_KEYS) : pick(random, KEYS);
}

function block(random: Random, indent: number, depth: number): string {
  const pad = " ".repeat(indent);
  let out = "";
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const r = random();
    const name = `${pad}${key(random)}:`;
    if (random() < 0.1) out += pick(random, ["\n", `${pad}# c\n`, `${pad}  \n`]);
    if (depth > 0 && r < 0.25) out += `${name}\n${block(random, indent + pick(random, [2, 4]), depth - 1)}`;
    else if (depth > 0 && r < 0.45) out += `${name}\n${sequence(random, indent + pick(random, [0, 2]), depth - 1)}`;
    else if (r < 0.55) out += `${name} ${pick(random, ["|", "|-", "|", "|-", "|+", ">"])}\n${literalBody(random, indent + pick(random, [1, 2, 4]))}`;
    else out += `${name}${random() < 0.1 ? "" : ` ${scalar(random)}`}\n`;
  }
  return out;
}

function sequence(random: Random, indent: number, depth: number): string {
  const pad = " ".repeat(indent);
  let out = "";
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const r = random();
    if (depth > 0 && r < 0.3) {
      const inner = block(random, indent + 2, depth - 1);
      out += `${pad}- ${inner.slice(indent + 2)}`;
    } else if (r < 0.4) out += `${pad}-\n`;
    else out += `${pad}- ${scalar(random)}\n`;
  }
  return out;
}

function literalBody(random: Random, indent: number): string {
  const lines = ["text", "  more", "", "# hash", "x: y", "   ", "- z"];
  let out = "";
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const line = pick(random, lines);
    out += line.trim() === "" ? `${line}\n` : `${" ".repeat(indent)}${line}\n`;
  }
  return out;
}

function randomDocument(random: Random): string {
  const doc = block(random, 0, 3);
  return random() < 0.2 ? doc.replace(/\n$/, "") : doc;
}

function mutate(text: string, random: Random): string {
  const at = Math.floor(random() * text.length);
  const insert = pick(random, [" ", "\n", ":", "-", "#", "'", '"', "{", "|", "  ", "\t", ""]);
  return text.slice(0, at) + insert + text.slice(at + (random() < 0.5 ? 1 : 0));
}
