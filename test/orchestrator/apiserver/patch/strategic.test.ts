import { describe, expect, it } from "vitest";
import { strategicMergePatch } from "../../../../orchestrator/apiserver/patch/strategic.js";
import { mergePatch } from "../../../../orchestrator/apiserver/patch/merge.js";

const base = {
  spec: {
    containers: [
      { name: "a", image: "a:1", ports: [{ containerPort: 80 }], env: [{ name: "X", value: "1" }] },
      { name: "b", image: "b:1" },
    ],
    args: ["x", "y"],
  },
  metadata: { finalizers: ["f1"], labels: { k: "v" } },
};

describe("strategic merge patch", () => {
  it.each([
    ["merges containers by name", { spec: { containers: [{ name: "b", image: "b:2" }] } }, (r: typeof base) => r.spec.containers.map((c) => c.image), ["a:1", "b:2"]],
    ["appends a new container", { spec: { containers: [{ name: "c", image: "c:1" }] } }, (r: typeof base) => r.spec.containers.map((c) => c.name), ["a", "b", "c"]],
    ["deletes an item with $patch: delete", { spec: { containers: [{ name: "a", $patch: "delete" }] } }, (r: typeof base) => r.spec.containers.map((c) => c.name), ["b"]],
    ["replaces atomic lists", { spec: { args: ["z"] } }, (r: typeof base) => r.spec.args, ["z"]],
    ["merges env by name inside a container", { spec: { containers: [{ name: "a", env: [{ name: "Y", value: "2" }] }] } }, (r: typeof base) => r.spec.containers[0].env?.map((e) => e.name), ["X", "Y"]],
    ["unions finalizers", { metadata: { finalizers: ["f2"] } }, (r: typeof base) => r.metadata.finalizers, ["f1", "f2"]],
    ["deletes from a primitive list", { metadata: { "$deleteFromPrimitiveList/finalizers": ["f1"] } }, (r: typeof base) => r.metadata.finalizers, []],
    ["orders by $setElementOrder", { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] } }, (r: typeof base) => r.spec.containers.map((c) => c.name), ["b", "a"]],
    ["replaces a map with $patch: replace", { metadata: { labels: { n: "1", $patch: "replace" } } }, (r: typeof base) => r.metadata.labels, { n: "1" }],
    ["null deletes a key", { metadata: { labels: { k: null } } }, (r: typeof base) => r.metadata.labels, {}],
    ["$retainKeys drops unlisted keys", { spec: { $retainKeys: ["containers"], containers: [] } }, (r: typeof base) => Object.keys(r.spec), ["containers"]],
  ])("%s", (_name, patch, pick, want) => {
    const result = strategicMergePatch(structuredClone(base), patch) as unknown as typeof base;
    expect(pick(result)).toEqual(want);
  });
});

describe("merge patch (RFC 7386)", () => {
  it.each([
    [{ a: 1 }, { a: null }, {}],
    [{ a: [1, 2] }, { a: [3] }, { a: [3] }],
    [{ a: { b: 1 } }, { a: { c: 2 } }, { a: { b: 1, c: 2 } }],
    [{ a: 1 }, "x", "x"],
  ])("%j + %j", (target, patch, want) => {
    expect(mergePatch(target, patch)).toEqual(want);
  });
});
