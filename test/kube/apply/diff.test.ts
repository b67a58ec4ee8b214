import { describe, expect, it } from "vitest";
import { diffObjects, unifiedDiff } from "../../../kube/apply/index.js";

describe("unifiedDiff", () => {
  it.each([
    { name: "equal", a: ["x", "y"], b: ["x", "y"], want: "" },
    { name: "one change", a: ["a", "b", "c"], b: ["a", "B", "c"], want: "--- live/o\n+++ desired/o\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n" },
    { name: "addition at the end", a: ["a"], b: ["a", "b"], want: "--- live/o\n+++ desired/o\n@@ -1,1 +1,2 @@\n a\n+b\n" },
    { name: "from nothing", a: [], b: ["a"], want: "--- live/o\n+++ desired/o\n@@ -0,0 +1,1 @@\n+a\n" },
    {
      name: "two hunks far apart",
      a: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
      b: ["X", "2", "3", "4", "5", "6", "7", "8", "9", "Y"],
      want: "--- live/o\n+++ desired/o\n@@ -1,2 +1,2 @@\n-1\n+X\n 2\n@@ -9,2 +9,2 @@\n 9\n-10\n+Y\n",
    },
  ])("$name", ({ a, b, want }) => {
    expect(unifiedDiff(a, b, { label: "o", context: 1 })).toBe(want);
  });

  it("colours when asked", () => {
    expect(unifiedDiff(["a"], ["b"], { color: true })).toContain("\u001b[31m-a\u001b[0m");
  });
});

describe("diffObjects", () => {
  it("ignores fields the server maintains", () => {
    const live = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", resourceVersion: "7", uid: "u", managedFields: [{}] }, data: { a: "1" }, status: {} };
    expect(diffObjects(live, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } })).toBe("");
  });

  it("diffs a new object against nothing", () => {
    expect(diffObjects(undefined, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, { label: "c" })).toContain("+apiVersion: v1");
  });
});
