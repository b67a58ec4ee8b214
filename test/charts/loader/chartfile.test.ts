import { describe, expect, it } from "vitest";
import { ChartError } from "../../../core/errors.js";
import { parseChartMetadata } from "../../../charts/loader/chartfile.js";

const L = "mychart/Chart.yaml";
const base = "apiVersion: v2\nname: mychart\nversion: 0.1.0\n";

describe("parseChartMetadata accepts", () => {
  it("a minimal chart", () => {
    expect(parseChartMetadata(base, L)).toEqual({ apiVersion: "v2", name: "mychart", version: "0.1.0" });
  });

  it("every documented field, ignoring unknown ones", () => {
    const text = `${base}appVersion: 1.10
description: demo
type: library
kubeVersion: ">= 1.20.0-0, < 2.0.0"
keywords: [a, b]
home: https://example.com
sources: [https://example.com/src]
maintainers:
  - name: me
    email: me@example.com
icon: https://example.com/icon.png
deprecated: false
annotations:
  category: Demo
  answer: 42
dependencies:
  - name: redis
    version: ^17.0.0
    repository: https://charts.example.com
    condition: redis.enabled
    tags: [cache]
    alias: cache
    import-values:
      - data
      - child: a.b
        parent: c
future: whatever
`;
    expect(parseChartMetadata(text, L)).toEqual({
      apiVersion: "v2",
      name: "mychart",
      version: "0.1.0",
      appVersion: "1.10",
      description: "demo",
      type: "library",
      kubeVersion: ">= 1.20.0-0, < 2.0.0",
      keywords: ["a", "b"],
      home: "https://example.com",
      sources: ["https://example.com/src"],
      maintainers: [{ name: "me", email: "me@example.com" }],
      icon: "https://example.com/icon.png",
      deprecated: false,
      annotations: { category: "Demo", answer: "42" },
      dependencies: [
        {
          name: "redis",
          version: "^17.0.0",
          repository: "https://charts.example.com",
          condition: "redis.enabled",
          tags: ["cache"],
          alias: "cache",
          importValues: ["data", { child: "a.b", parent: "c" }],
        },
      ],
    });
  });

  it.each(["1.0.0", "0.1.0-rc.1", "2.3.4+build.5", "1.0.0-alpha+001"])("version %s", (version) => {
    expect(parseChartMetadata(`apiVersion: v2\nname: x\nversion: ${version}\n`, L).version).toBe(version);
  });

  it("apiVersion v1", () => {
    expect(parseChartMetadata("apiVersion: v1\nname: old\nversion: 1.0.0\n", L).apiVersion).toBe("v1");
  });
});

describe("parseChartMetadata rejects", () => {
  it.each([
    ["missing apiVersion", "name: mychart\nversion: 0.1.0\n", "mychart/Chart.yaml: apiVersion: is required"],
    ["unknown apiVersion", "apiVersion: v3\nname: mychart\nversion: 0.1.0\n", 'mychart/Chart.yaml:1: apiVersion: expected "v2" (or "v1"), got "v3"'],
    ["missing name", "apiVersion: v2\nversion: 0.1.0\n", "mychart/Chart.yaml: name: is required"],
    ["empty name", "apiVersion: v2\nname: ''\nversion: 0.1.0\n", "mychart/Chart.yaml:2: name: is required"],
    ["name with a slash", "apiVersion: v2\nname: a/b\nversion: 0.1.0\n", 'mychart/Chart.yaml:2: name: "a/b" is not a valid chart name'],
    ["name ..", "apiVersion: v2\nname: ..\nversion: 0.1.0\n", 'mychart/Chart.yaml:2: name: ".." is not a valid chart name'],
    ["name with a space", "apiVersion: v2\nname: my chart\nversion: 0.1.0\n", 'mychart/Chart.yaml:2: name: "my chart" is not a valid chart name'],
    ["name as a map", "apiVersion: v2\nname: {a: 1}\nversion: 0.1.0\n", "mychart/Chart.yaml:2: name: expected a string, got a map"],
    ["missing version", "apiVersion: v2\nname: mychart\n", "mychart/Chart.yaml: version: is required"],
    ["version 1.x", "apiVersion: v2\nname: mychart\nversion: 1.x\n", 'mychart/Chart.yaml:3: version: "1.x" is not a valid SemVer 2 version'],
    ["version 1.0 (a number)", "apiVersion: v2\nname: mychart\nversion: 1.0\n", 'mychart/Chart.yaml:3: version: "1.0" is not a valid SemVer 2 version'],
    ["version with v", "apiVersion: v2\nname: mychart\nversion: v1.2.3\n", 'mychart/Chart.yaml:3: version: "v1.2.3" is not a valid SemVer 2 version'],
    ["bad type", `${base}type: plugin\n`, 'mychart/Chart.yaml:4: type: expected "application" or "library", got "plugin"'],
    ["bad kubeVersion", `${base}kubeVersion: ">= banana"\n`, 'mychart/Chart.yaml:4: kubeVersion: ">= banana" is not a valid version constraint'],
    ["keywords not a list", `${base}keywords: web\n`, 'mychart/Chart.yaml:4: keywords: expected a list, got "web"'],
    ["deprecated not a bool", `${base}deprecated: "yes"\n`, 'mychart/Chart.yaml:4: deprecated: expected true or false, got "yes"'],
    ["maintainer not a map", `${base}maintainers:\n  - bob\n`, 'mychart/Chart.yaml:5: maintainers[0]: expected a map with name, email and url, got "bob"'],
    ["dependency without name", `${base}dependencies:\n  - version: 1.0.0\n`, "mychart/Chart.yaml:5: dependencies[0].name: is required"],
    [
      "dependency with a bad range",
      `${base}dependencies:\n  - name: redis\n    version: "not-a-range"\n`,
      'mychart/Chart.yaml:6: dependencies[0].version: "not-a-range" is not a valid version constraint',
    ],
    [
      "dependency with a bad alias",
      `${base}dependencies:\n  - name: redis\n    alias: my.cache\n`,
      'mychart/Chart.yaml:6: dependencies[0].alias: "my.cache" is not a valid alias',
    ],
    [
      "duplicate dependencies",
      `${base}dependencies:\n  - name: redis\n  - name: pg\n    alias: redis\n`,
      'mychart/Chart.yaml:6: dependencies[1]: more than one dependency with name or alias "redis" (see dependencies[0])',
    ],
    ["not a map", "- a\n- b\n", "mychart/Chart.yaml: expected a map of chart fields, got a list"],
    ["broken YAML", "apiVersion: v2\nname: [oops\nversion: 0.1.0\n", "mychart/Chart.yaml:"],
    ["alias expansion bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "mychart/Chart.yaml: invalid YAML: Excessive alias count"],
    ["duplicate keys", `${base}name: again\n`, "mychart/Chart.yaml:4: invalid YAML: Map keys must be unique"],
  ])("%s", (_case, text, message) => {
    let err: unknown;
    try {
      parseChartMetadata(text, L);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ChartError);
    const got = (err as Error).message;
    expect(got.slice(0, message.length)).toBe(message);
  });
});
