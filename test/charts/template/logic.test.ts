import { describe, expect, it } from "vitest";
import { renderOne } from "./fixtures.js";

const values = { zero: 0, empty: "", f: false, map: {}, list: [], one: 1, s: "x", obj: { a: 1 } };

describe("logic helpers", () => {
  const cases: [string, string][] = [
    ['{{default "d" Values.missing}}', "d"],
    ['{{default "d" Values.zero}}', "d"],
    ['{{default "d" Values.f}}', "d"],
    ['{{default "d" Values.map}}', "d"],
    ['{{default "d" Values.s}}', "x"],
    ["{{empty Values.list}}", "true"],
    ["{{empty Values.obj}}", "false"],
    ["{{empty Values.zero}}", "true"],
    ['{{coalesce Values.missing Values.empty "c"}}', "c"],
    ['{{ternary "yes" "no" Values.one}}', "yes"],
    ['{{ternary "yes" "no" Values.zero}}', "no"],
    ['{{eq Values.s "x"}}', "true"],
    ['{{eq Values.s "y" "x"}}', "true"],
    ["{{eq Values.missing Values.alsoMissing}}", "true"],
    ["{{ne Values.one 2}}", "true"],
    ["{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 3 2}}", "true true false true"],
    ['{{lt "a" "b"}}', "true"],
    ['{{and Values.one Values.s}}', "x"],
    ["{{and Values.one Values.zero Values.s}}", "0"],
    ['{{or Values.empty Values.s}}', "x"],
    ["{{not Values.empty}}", "true"],
    ["{{not Values.obj}}", "false"],
    ["{{required \"need it\" Values.zero}}", "0"],
    ["{{#if (and (eq Values.s \"x\") (not Values.f))}}ok{{/if}}", "ok"],
  ];
  it.each(cases)("%s", (source, expected) => {
    expect(renderOne(source, values)).toBe(expected);
  });

  it("required fails with its message, naming the template and line", () => {
    expect(() => renderOne('a: 1\nb: {{required "image.tag is required" Values.image.tag}}')).toThrow(
      "template: mychart/templates/t.yaml:2: image.tag is required",
    );
  });

  it("required treats an empty string as missing", () => {
    expect(() => renderOne('{{required "name!" Values.empty}}', values)).toThrow(/: name!$/);
  });

  it("fail stops the render", () => {
    expect(() => renderOne('{{#if Values.bad}}{{fail "bad is not supported"}}{{/if}}', { bad: true })).toThrow(
      "template: mychart/templates/t.yaml:1: bad is not supported",
    );
  });

  it("refuses to order values of different kinds", () => {
    expect(() => renderOne('{{lt 1 "2"}}')).toThrow(/lt: incompatible types for comparison: int and string/);
  });
});
