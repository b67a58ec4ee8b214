import { describe, expect, it } from "vitest";
import { renderOne } from "./fixtures.js";

const values = {
  m: { b: 2, a: 1 },
  n: { c: 3, a: 9 },
  deep: { x: { keep: "dst", empty: "" }, flag: false },
  over: { x: { keep: "src", empty: "filled", extra: true }, flag: true, added: 1 },
  list: ["a", "b", "c"],
  maps: [{ k: 1 }, { j: 2 }, { k: 3 }],
};

describe("collection helpers", () => {
  const cases: [string, string][] = [
    ['{{join "," (list 1 "a" true)}}', "1,a,true"],
    ['{{toJson (dict "b" 1 "a" "x")}}', '{"a":"x","b":1}'],
    ['{{toJson (dict "odd")}}', '{"odd":""}'],
    ['{{get Values.m "a"}}', "1"],
    ['{{get Values.m "zz"}}', ""],
    ['{{hasKey Values.m "b"}} {{hasKey Values.m "z"}}', "true false"],
    ['{{join "," (keys Values.m Values.n)}}', "a,a,b,c"],
    ["{{toJson (merge (dict) Values.m Values.n)}}", '{"a":1,"b":2,"c":3}'],
    ["{{toJson (merge Values.deep Values.over)}}", '{"added":1,"flag":true,"x":{"empty":"filled","extra":true,"keep":"dst"}}'],
    ['{{toJson (pluck "k" Values.maps.[0] Values.maps.[1] Values.maps.[2])}}', "[1,3]"],
    ["{{first Values.list}}{{last Values.list}}", "ac"],
    ["{{first Values.missing}}", ""],
    ['{{has "b" Values.list}} {{has "z" Values.list}}', "true false"],
    ["{{toJson (until 3)}} {{toJson (until -2)}}", "[0,1,2] [0,-1]"],
    ['{{len Values.list}} {{len Values.m}} {{len "abcd"}} {{len Values.missing}}', "3 2 4 0"],
    ["{{#each (until 3)}}{{this}}{{/each}}", "012"],
  ];
  it.each(cases)("%s", (source, expected) => {
    expect(renderOne(source, values)).toBe(expected);
  });

  it("merge leaves the caller's values untouched", () => {
    const input = { a: { x: 1 }, b: { y: 2 } };
    renderOne("{{toJson (merge Values.a Values.b)}}", input);
    expect(input).toEqual({ a: { x: 1 }, b: { y: 2 } });
  });

  it("len of a number is an error", () => {
    expect(() => renderOne("{{len 3}}")).toThrow(/template: mychart\/templates\/t.yaml:1: len: cannot take the length of int/);
  });

  it("get of a non-map names the helper and the type", () => {
    expect(() => renderOne('{{get Values.list "a"}}', values)).toThrow(/get: map: expected a map, got \[\]interface \{\}/);
  });
});
