// Table tests for the --set family, modelled on Helm's pkg/strvals parser_test.go.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ValuesError } from "../../../core/errors.js";
import { parseSet, parseSetInto, typedValue, type SetFlag } from "../../../charts/values/setParser.js";

interface Case {
  str: string;
  expect?: Record<string, unknown>;
  /** A fragment the error message must contain. */
  err?: string;
}

function runTable(flag: SetFlag, cases: Case[]): void {
  for (const c of cases) {
    it(`${flag} ${JSON.stringify(c.str)}`, () => {
      if (c.err !== undefined) {
        expect(() => parseSet(flag, c.str)).toThrow(ValuesError);
        expect(() => parseSet(flag, c.str)).toThrow(c.err);
      } else {
        expect(parseSet(flag, c.str)).toEqual(c.expect);
      }
    });
  }
}

describe("--set", () => {
  runTable("set", [
    { str: "", expect: {} },
    { str: "name1=value1", expect: { name1: "value1" } },
    { str: "name1=value1,name2=value2", expect: { name1: "value1", name2: "value2" } },
    { str: "name1=value1,name2=value2,", expect: { name1: "value1", name2: "value2" } },
    { str: "name1=value1,,,,name2=value2,", err: 'key "" has no value (cannot end with ,)' },
    { str: "name1=,name2=value2", expect: { name1: "", name2: "value2" } },
    { str: "name1=", expect: { name1: "" } },
    { str: "leading_zeros=00009", expect: { leading_zeros: "00009" } },
    { str: "zero_int=0", expect: { zero_int: 0 } },
    { str: "long_int=1234567890", expect: { long_int: 1234567890 } },
    { str: "negative=-12", expect: { negative: -12 } },
    { str: "plus=+12", expect: { plus: 12 } },
    { str: "float=1.5", expect: { float: "1.5" } },
    { str: "boolean=true", expect: { boolean: true } },
    { str: "upper=FALSE", expect: { upper: false } },
    { str: "is_null=null", expect: { is_null: null } },
    { str: "is_null=NULL", expect: { is_null: null } },
    { str: "int64_overflow=9223372036854775808", expect: { int64_overflow: "9223372036854775808" } },
    { str: "name1,name2=", err: 'key "name1" has no value (cannot end with ,)' },
    { str: "name1,name2=value2", err: "cannot end with ," },
    { str: "name1,name2", err: "cannot end with ," },
    { str: "name1", err: 'key "name1" has no value' },
    { str: "name1=one\\,two,name2=three\\,four", expect: { name1: "one,two", name2: "three,four" } },
    { str: "name1=one\\=two,name2=three\\=four", expect: { name1: "one=two", name2: "three=four" } },
    { str: "name1=one two three,name2=three two one", expect: { name1: "one two three", name2: "three two one" } },
    { str: "key\\.with\\.dots=1", expect: { "key.with.dots": 1 } },
    { str: "outer.inner=value", expect: { outer: { inner: "value" } } },
    { str: "outer.middle.inner=value", expect: { outer: { middle: { inner: "value" } } } },
    { str: "outer.inner1=value,outer.inner2=value2", expect: { outer: { inner1: "value", inner2: "value2" } } },
    {
      str: "outer.inner1=value,outer.middle.inner=value",
      expect: { outer: { inner1: "value", middle: { inner: "value" } } },
    },
    { str: "name1.name2", err: 'key "name2" has no value' },
    { str: "name1.name2,name1.name3", err: "cannot end with ," },
    { str: "name1.=name2", err: 'key map "name1" has no value' },
    { str: "name1.,name2", err: "cannot end with ," },
    { str: ".a=1", expect: {} },
    { str: "name1={value1,value2}", expect: { name1: ["value1", "value2"] } },
    { str: "name1={value1,value2},name2={value1,value2}", expect: { name1: ["value1", "value2"], name2: ["value1", "value2"] } },
    { str: "name1={1021,902}", expect: { name1: [1021, 902] } },
    { str: "name1.name2={value1,value2}", expect: { name1: { name2: ["value1", "value2"] } } },
    { str: "name1={}", expect: { name1: [""] } },
    { str: "name1={1021,902", err: "list must terminate with '}'" },
    { str: "name1=val1,name2=val2,name3={1021,902}", expect: { name1: "val1", name2: "val2", name3: [1021, 902] } },
    { str: "list[0]=foo", expect: { list: ["foo"] } },
    { str: "list[0].foo=bar", expect: { list: [{ foo: "bar" }] } },
    { str: "list[0].foo=bar,list[0].hello=world", expect: { list: [{ foo: "bar", hello: "world" }] } },
    { str: "list[0]=foo,list[1]=bar", expect: { list: ["foo", "bar"] } },
    { str: "list[0]=foo,list[1]=bar,", expect: { list: ["foo", "bar"] } },
    { str: "list[0]=foo,list[3]=bar", expect: { list: ["foo", null, null, "bar"] } },
    { str: "list[1]={a,b}", expect: { list: [null, ["a", "b"]] } },
    { str: "list[0]=", expect: { list: [""] } },
    { str: "list[0]", expect: { list: [] } },
    { str: "list[0].foo=bar,list[-30].hello=world", err: "negative -30 index not allowed" },
    { str: "list[0]=foo,list[-20]=bar", err: "negative -20 index not allowed" },
    { str: "list[x]=1", err: 'invalid list index "x"' },
    { str: "list[1=2", err: 'missing "]"' },
    { str: "list[65537]=1", err: "greater than maximum supported index of 65536" },
    { str: "illegal[0]name.foo=bar", err: 'unexpected data at end of array index: "name"' },
    { str: "nested[0][0]=1", expect: { nested: [[1]] } },
    { str: "nested[1][1]=1", expect: { nested: [null, [null, 1]] } },
    { str: "nested[0][0]=1,nested[0][1]=2", expect: { nested: [[1, 2]] } },
    {
      str: "name1.name2[0].foo=bar,name1.name2[1].foo=bar",
      expect: { name1: { name2: [{ foo: "bar" }, { foo: "bar" }] } },
    },
    {
      str: "name1.name2[1].foo=bar,name1.name2[0].foo=bar",
      expect: { name1: { name2: [{ foo: "bar" }, { foo: "bar" }] } },
    },
    { str: "name1.name2[1].foo=bar", expect: { name1: { name2: [null, { foo: "bar" }] } } },
    { str: "a=1,a.b=2", err: '"a" is number 1, not a map' },
    { str: "a=x,a[0]=2", err: '"a" is string "x", not a list' },
    { str: `${"a.".repeat(31)}b=1`, err: "maximum supported nested level of 30" },
  ]);

  it("names the flag and the expression in the error", () => {
    expect(() => parseSet("set", "a[x]=1")).toThrow('--set "a[x]=1": invalid list index "x"');
  });

  it("keeps __proto__ a plain key and never touches Object.prototype", () => {
    const parsed = parseSet("set", "__proto__.polluted=1,a.__proto__.polluted=2");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(["__proto__", "a"]);
    expect(JSON.stringify(parsed)).toBe('{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2}}}');
  });

  it("merges into existing values, later keys winning", () => {
    const dest: Record<string, unknown> = { a: { b: 1, keep: true }, list: ["x", "y"] };
    parseSetInto("set", "a.b=2,list[1]=z", dest);
    expect(dest).toEqual({ a: { b: 2, keep: true }, list: ["x", "z"] });
  });
});

describe("typedValue", () => {
  const cases: [string, unknown][] = [
    ["true", true],
    ["True", true],
    ["false", false],
    ["null", null],
    ["0", 0],
    ["00", "00"],
    ["0x10", "0x10"],
    ["12", 12],
    ["-0", 0],
    ["1e3", "1e3"],
    ["9007199254740993", "9007199254740993"],
    ["", ""],
    ["yes", "yes"],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => expect(typedValue(input)).toEqual(want));
  }
});

describe("--set-string", () => {
  runTable("set-string", [
    { str: "long_int_string=1234567890", expect: { long_int_string: "1234567890" } },
    { str: "boolean=true", expect: { boolean: "true" } },
    { str: "is_null=null", expect: { is_null: "null" } },
    { str: "zero=0", expect: { zero: "0" } },
    { str: "list={1,true}", expect: { list: ["1", "true"] } },
    { str: "list[0]=1", expect: { list: ["1"] } },
    { str: "a.b=1,c=x\\,y", expect: { a: { b: "1" }, c: "x,y" } },
  ]);
});

describe("--set-json", () => {
  runTable("set-json", [
    {
      str: 'outer.inner1="1",outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner4=["aa","bb"]',
      expect: { outer: { inner1: "1", inner3: { aa: "1", bb: 2, cc: [1, 2, 3] }, inner4: ["aa", "bb"] } },
    },
    { str: 'outer.inner1=[{"aa":"1"}]', expect: { outer: { inner1: [{ aa: "1" }] } } },
    { str: 'outer.inner1="1",outer.inner2=', expect: { outer: { inner1: "1", inner2: null } } },
    { str: 'outer.inner1="1",outer.inner2=,outer.inner3=3', expect: { outer: { inner1: "1", inner2: null, inner3: 3 } } },
    { str: "outer.inner1=1,outer.inner2=null", expect: { outer: { inner1: 1, inner2: null } } },
    { str: 'a={"s":"x,}y"},b=true', expect: { a: { s: "x,}y" }, b: true } },
    { str: "a=1.5", expect: { a: 1.5 } },
    { str: 'list[1]={"a":1}', expect: { list: [null, { a: 1 }] } },
    { str: "list[0]=", expect: { list: [null] } },
    { str: "outer.inner1=1,outer.inner2=notjson", err: "invalid JSON value" },
    { str: 'a={"b":1', err: "unexpected end of JSON input" },
    { str: "a=[1,2", err: "unexpected end of JSON input" },
  ]);
});

describe("--set-literal", () => {
  runTable("set-literal", [
    { str: "name=", expect: { name: "" } },
    { str: "name=value", expect: { name: "value" } },
    { str: "name=value,", expect: { name: "value," } },
    { str: "name=1234", expect: { name: "1234" } },
    { str: "name=true", expect: { name: "true" } },
    { str: "name=null", expect: { name: "null" } },
    { str: "name=x,y=z", expect: { name: "x,y=z" } },
    { str: "name={a,b}", expect: { name: "{a,b}" } },
    { str: "name=a\\,b", expect: { name: "a\\,b" } },
    { str: "name1,name2=value", expect: { "name1,name2": "value" } },
    { str: "outer.inner=value", expect: { outer: { inner: "value" } } },
    { str: "list[0]=foo,bar", expect: { list: ["foo,bar"] } },
    { str: "list[0].foo=bar", expect: { list: [{ foo: "bar" }] } },
    { str: "key[0][1]=value", expect: { key: [[null, "value"]] } },
    { str: "name1.name2", err: 'key "name2" has no value' },
    { str: "list[x]=1", err: 'invalid list index "x"' },
  ]);
});

describe("--set-file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "berth-setfile-"));
  writeFileSync(path.join(dir, "cert.pem"), "-----BEGIN-----\nabc\n");
  writeFileSync(path.join(dir, "n.txt"), "42");

  it("reads each value as a file relative to cwd, as a string", () => {
    expect(parseSet("set-file", "tls.cert=cert.pem,count=n.txt", { cwd: dir })).toEqual({
      tls: { cert: "-----BEGIN-----\nabc\n" },
      count: "42",
    });
  });

  it("reads absolute paths as they are", () => {
    expect(parseSet("set-file", `x=${path.join(dir, "n.txt")}`, { cwd: "/" })).toEqual({ x: "42" });
  });

  it("names the flag, the expression and the missing file", () => {
    expect(() => parseSet("set-file", "a=missing.txt", { cwd: dir })).toThrow(
      '--set-file "a=missing.txt": cannot read file "missing.txt": ENOENT',
    );
  });
});
