import { TemplateError } from "../../../core/errors.js";
import { describe, expect, it } from "vitest";
import { splitDocuments, splitManifests } from "../../../charts/manifest/index.js";

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}`;

describe("splitDocuments", () => {
  const cases: [string, string, string[]][] = [
    ["one document", "a: 1\n", ["a: 1\n"]],
    ["leading separator", "---\na: 1", ["a: 1"]],
    ["separator with comment", "a: 1\n--- # next\nb: 2", ["a: 1", "b: 2"]],
    ["empty and comment-only documents", "---\n\n---\n# only a comment\n---\na: 1\n---\n", ["a: 1"]],
    ["dashes inside a value are not separators", "a: |\n  ---x\nb: 1", ["a: |\n  ---x\nb: 1"]],
    ["CRLF separators", "a: 1\r\n---\r\nb: 2", ["a: 1\r", "b: 2"]],
    ["lines end only at \\n", "# c\u2028x: 1\r  y\n---\n  \r\n---\na: 1", ["a: 1"]],
    ["separator on the last line", "a: 1\n---", ["a: 1"]],
    ["indented dashes are content", "a:\n ---\nb: 1\n", ["a:\n ---\nb: 1\n"]],
  ];
  it.each(cases)("%s", (_what, text, expected) => {
    expect(splitDocuments(text).map((d) => d.text)).toEqual(expected);
  });

  it("records where each document starts", () => {
    expect(splitDocuments("a: 1\n---\n\nb: 2\n---\nc: 3").map((d) => d.firstLine)).toEqual([1, 3, 6]);
  });
});

describe("splitManifests", () => {
  it("parses objects and keeps their text, in template then document order", () => {
    const rendered = new Map([
      ["c/templates/b.yaml", `${cm("two")}\n---\n${cm("three")}\n  namespace: ns\n`],
      ["c/templates/a.yaml", `\n\n${cm("one")}\n\n`],
    ]);
    const { manifests, hooks, notes } = splitManifests(rendered);
    expect(manifests.map((m) => [m.source, m.name, m.namespace])).toEqual([
      ["c/templates/a.yaml", "one", undefined],
      ["c/templates/b.yaml", "two", undefined],
      ["c/templates/b.yaml", "three", "ns"],
    ]);
    expect(manifests[0]).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", content: cm("one"), object: { metadata: { name: "one" } } });
    expect(hooks).toEqual([]);
    expect(notes).toBeUndefined();
  });

  it("sets NOTES.txt apart", () => {
    const rendered = new Map([
      ["c/templates/NOTES.txt", "Thanks for installing: not: yaml: at: all"],
      ["c/charts/sub/templates/NOTES.txt", "sub notes"],
    ]);
    expect(splitManifests(rendered)).toEqual({ manifests: [], hooks: [], notes: "Thanks for installing: not: yaml: at: all" });
  });

  it("separates hooks and parses their kinds, weight and delete policy", () => {
    const hook = [
      "apiVersion: batch/v1",
      "kind: Job",
      "metadata:",
      "  name: migrate",
      "  annotations:",
      '    helm.sh/hook: "pre-install, pre-upgrade,crd-install"',
      '    helm.sh/hook-weight: "-5"',
      "    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded",
    ].join("\n");
    const berthHook = `${cm("t")}\n  annotations:\n    berth.dev/hook: test-success\n    berth.dev/hook-weight: nope`;
    const { manifests, hooks } = splitManifests(new Map([["c/templates/job.yaml", `${hook}\n---\n${berthHook}`]]));
    expect(manifests).toEqual([]);
    expect(hooks.map((h) => [h.name, h.hook])).toEqual([
      ["migrate", { events: ["pre-install", "pre-upgrade"], weight: -5, deletePolicies: ["before-hook-creation", "hook-succeeded"] }],
      ["t", { events: ["test"], weight: 0, deletePolicies: [] }],
    ]);
  });

  it("accepts generateName in place of a name", () => {
    const text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: run-";
    expect(splitManifests(new Map([["c/templates/j.yaml", text]])).manifests[0]?.name).toBe("run-");
  });

  const errors: [string, string, string][] = [
    ["bad YAML names the line in the rendered file", `${cm("a")}\n---\nkind: ConfigMap\nmetadata:\n  name: a: b\n`, "template: c/templates/x.yaml:8: YAML parse error: Nested mappings are not allowed in compact mappings"],
    ["a bad line after a good document", `${cm("a")}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n key: bad indent\n`, "template: c/templates/x.yaml:10: YAML parse error:"],
    ["missing kind", "apiVersion: v1\nmetadata:\n  name: a", "template: c/templates/x.yaml:1: object has no kind"],
    ["missing apiVersion", `\n---\nkind: ConfigMap\nmetadata:\n  name: a`, "template: c/templates/x.yaml:3: object has no apiVersion"],
    ["missing metadata", "apiVersion: v1\nkind: ConfigMap", "template: c/templates/x.yaml:1: ConfigMap has no metadata"],
    ["missing name", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}", "template: c/templates/x.yaml:1: metadata: object has no name"],
    ["kind of the wrong type", "apiVersion: v1\nkind: 3\nmetadata:\n  name: a", "template: c/templates/x.yaml:1: kind: expected string, got 3"],
    ["not a map", "- a\n- b", "template: c/templates/x.yaml:1: expected a Kubernetes object (a YAML map), got a list"],
    ["an alias to no anchor", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: *missing", "template: c/templates/x.yaml:1: YAML error:"],
  ];
  it.each(errors)("%s", (_what, text, message) => {
    expect(() => splitManifests(new Map([["c/templates/x.yaml", text]]))).toThrow(TemplateError);
    expect(() => splitManifests(new Map([["c/templates/x.yaml", text]]))).toThrow(message);
  });
});
