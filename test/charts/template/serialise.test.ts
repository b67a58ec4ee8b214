import { describe, expect, it } from "vitest";
import { renderOne } from "./fixtures.js";

const values = {
  res: { limits: { memory: "128Mi", cpu: "100m" }, list: ["a", "b"], flag: "true", n: "123", empty: {}, multi: "l1\nl2\n" },
  html: "<a&b>",
};

describe("serialisation helpers", () => {
  const cases: [string, string][] = [
    ["{{toYaml Values.res}}", 'empty: {}\nflag: "true"\nlimits:\n  cpu: 100m\n  memory: 128Mi\nlist:\n- a\n- b\nmulti: |\n  l1\n  l2\nn: "123"'],
    ["{{toYaml Values.missing}}", "null"],
    ['{{toYaml "plain"}}', "plain"],
    ["{{toYaml Values.res.list}}", "- a\n- b"],
    ["{{toJson Values.res.limits}}", '{"cpu":"100m","memory":"128Mi"}'],
    ["{{toJson Values.html}}", '"\\u003ca\\u0026b\\u003e"'],
    ["{{toPrettyJson Values.res.limits}}", '{\n  "cpu": "100m",\n  "memory": "128Mi"\n}'],
    ['{{get (fromYaml "a: 1\\nb: [x]") "a"}}', "1"],
    ['{{toJson (fromYaml "- not a map")}}', '{"Error":"fromYaml: document is not a map"}'],
    ['{{get (fromJson "{\\"k\\": \\"v\\"}") "k"}}', "v"],
    ['{{hasKey (fromJson "{oops") "Error"}}', "true"],
    ["{{toJson (fromYaml (toYaml Values.res))}}", JSON.stringify({ empty: {}, flag: "true", limits: { cpu: "100m", memory: "128Mi" }, list: ["a", "b"], multi: "l1\nl2\n", n: "123" })],
  ];
  it.each(cases)("%s", (source, expected) => {
    expect(renderOne(source, values)).toBe(expected);
  });

  it("indents toYaml under a key with nindent", () => {
    expect(renderOne("resources:{{nindent 2 (toYaml Values.res.limits)}}", values)).toBe("resources:\n  cpu: 100m\n  memory: 128Mi");
  });
});
