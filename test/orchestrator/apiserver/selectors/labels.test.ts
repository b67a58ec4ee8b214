import { describe, expect, it } from "vitest";
import { matchesLabels, parseLabelSelector } from "../../../../orchestrator/apiserver/selectors/labels.js";
import { matchesFields, parseFieldSelector } from "../../../../orchestrator/apiserver/selectors/fields.js";

describe("label selectors", () => {
  const labels = { app: "web", tier: "front", n: "3" };
  it.each([
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["app in (web,db)", true],
    ["app notin (web)", false],
    ["tier", true],
    ["!tier", false],
    ["missing!=x", true],
    ["app=web,tier=back", false],
    ["n>2", true],
    ["n<2", false],
    ["", true],
  ])("%s → %s", (selector, want) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(want);
  });

  it.each(["app in (", "a b", "=x", "bad key!=1"])("rejects %s with a BadRequest", (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(/unable to parse requirement|invalid/);
  });
});

describe("field selectors", () => {
  const obj = { metadata: { name: "p", namespace: "ns" }, spec: { nodeName: "n1" }, status: { phase: "Running" } };
  it.each([
    ["metadata.name=p", true],
    ["metadata.namespace!=ns", false],
    ["spec.nodeName=n1,status.phase=Running", true],
    ["spec.nodeName=", false],
    ["status.phase==Pending", false],
  ])("%s → %s", (selector, want) => {
    expect(matchesFields(parseFieldSelector(selector, "Pod"), obj)).toBe(want);
  });

  it("rejects fields a kind does not index", () => {
    expect(() => parseFieldSelector("spec.nodeName=x", "ConfigMap")).toThrow("field label not supported: spec.nodeName");
  });
});
