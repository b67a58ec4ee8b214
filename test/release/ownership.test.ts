// Which release a live object belongs to, from its berth.dev/release-* annotations.
import { describe, expect, it } from "vitest";
import { ownershipProblem, withOwnership } from "../../release/ownership.js";

const web = { name: "web", namespace: "default" };
const cm = (annotations?: Record<string, string>) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", ...(annotations ? { annotations } : {}) } });

describe("ownershipProblem", () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ["this release's object", withOwnership(cm({ keep: "me" }), web), undefined],
    ["no annotations (made by hand)", cm(), 'missing annotation berth.dev/release-name (must be "web"), missing annotation berth.dev/release-namespace (must be "default")'],
    [
      "another release's object",
      cm({ "berth.dev/release-name": "api", "berth.dev/release-namespace": "default" }),
      'annotation berth.dev/release-name is "api" (must be "web")',
    ],
    [
      "the same name in another namespace",
      cm({ "berth.dev/release-name": "web", "berth.dev/release-namespace": "team" }),
      'annotation berth.dev/release-namespace is "team" (must be "default")',
    ],
  ])("%s", (_label, live, expected) => {
    expect(ownershipProblem(live, web)).toBe(expected);
  });

  it("withOwnership keeps the object's own annotations", () => {
    expect(withOwnership(cm({ keep: "me" }), web).metadata).toEqual({
      name: "x",
      annotations: { keep: "me", "berth.dev/release-name": "web", "berth.dev/release-namespace": "default" },
    });
  });
});
