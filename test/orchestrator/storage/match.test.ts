// findMatchingVolume's rules as a table: class (incl. "" = none), access modes, capacity,
// volumeMode, selector, pre-binding by claimRef, phase, and node affinity for late binding.
import { describe, expect, it } from "vitest";
import { findMatchingVolume, volumeMismatch } from "../../../orchestrator/storage/match.js";
import { pv, pvc } from "./fixture.js";

describe("findMatchingVolume", () => {
  const cases = [
    { name: "smallest that fits wins", claim: pvc("c", { size: "2Gi", className: "" }), volumes: [pv("big", { size: "10Gi" }), pv("small", { size: "1Gi" }), pv("fit", { size: "5Gi" })], want: "fit" },
    { name: "too small never binds", claim: pvc("c", { size: "2Gi", className: "" }), volumes: [pv("small", { size: "1Gi" })], want: undefined },
    { name: "class must be equal", claim: pvc("c", { className: "fast" }), volumes: [pv("none"), pv("slow", { className: "slow" }), pv("fast", { className: "fast", size: "5Gi" })], want: "fast" },
    { name: "\"\" matches only classless volumes", claim: pvc("c", { className: "" }), volumes: [pv("classed", { className: "standard" })], want: undefined },
    { name: "no class field behaves as \"\"", claim: pvc("c"), volumes: [pv("classless")], want: "classless" },
    { name: "access modes must be offered", claim: pvc("c", { modes: ["ReadWriteMany"] }), volumes: [pv("rwo"), pv("rwx", { modes: ["ReadWriteOnce", "ReadWriteMany"] })], want: "rwx" },
    { name: "fewer access modes before smaller size", claim: pvc("c"), volumes: [pv("many", { modes: ["ReadWriteOnce", "ReadOnlyMany"], size: "1Gi" }), pv("one", { size: "3Gi" })], want: "one" },
    { name: "volumeMode must be equal", claim: pvc("c", { volumeMode: "Block" }), volumes: [pv("fs"), pv("block", { volumeMode: "Block" })], want: "block" },
    { name: "selector filters by labels", claim: pvc("c", { selector: { tier: "gold" } }), volumes: [pv("plain"), pv("gold", { labels: { tier: "gold" }, size: "9Gi" })], want: "gold" },
    { name: "only Available volumes", claim: pvc("c"), volumes: [pv("released", { phase: "Released" }), pv("failed", { phase: "Failed" })], want: undefined },
    { name: "claimed by another is skipped", claim: pvc("c"), volumes: [pv("taken", { claim: { name: "other", uid: "u2" } })], want: undefined },
    { name: "pre-bound to this claim wins over a smaller one", claim: pvc("c"), volumes: [pv("small"), pv("mine", { size: "8Gi", phase: "Available", claim: { name: "c" } })], want: "mine" },
    { name: "pre-bound but too small is not used", claim: pvc("c", { size: "4Gi" }), volumes: [pv("mine", { size: "1Gi", claim: { name: "c" } })], want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(findMatchingVolume(c.claim, c.volumes)?.metadata?.name).toBe(c.want);
    });
  }

  it("late binding without a node only takes a pre-bound volume", () => {
    const volumes = [pv("free"), pv("mine", { claim: { name: "c" } })];
    expect(findMatchingVolume(pvc("c"), volumes, { delayBinding: true })?.metadata?.name).toBe("mine");
    expect(findMatchingVolume(pvc("c"), [pv("free")], { delayBinding: true })).toBeUndefined();
  });

  it("late binding with a node takes only volumes that node may use", () => {
    const volumes = [pv("on-1", { node: "node-1", size: "1Gi" }), pv("on-2", { node: "node-2", size: "2Gi" })];
    const node = (name: string) => ({ metadata: { name, labels: { "kubernetes.io/hostname": name } } });
    expect(findMatchingVolume(pvc("c"), volumes, { delayBinding: true, node: node("node-2") })?.metadata?.name).toBe("on-2");
    expect(findMatchingVolume(pvc("c"), volumes, { delayBinding: true, node: node("node-3") })).toBeUndefined();
  });
});

describe("volumeMismatch", () => {
  const cases = [
    { name: "fits", volume: pv("v", { size: "2Gi" }), claim: pvc("c"), want: undefined },
    { name: "too small", volume: pv("v", { size: "1Mi" }), claim: pvc("c"), want: "requested PV is too small" },
    { name: "class", volume: pv("v", { className: "a" }), claim: pvc("c", { className: "b" }), want: "storageClassName does not match" },
    { name: "volume mode", volume: pv("v", { volumeMode: "Block" }), claim: pvc("c"), want: "incompatible volumeMode" },
    { name: "access mode", volume: pv("v"), claim: pvc("c", { modes: ["ReadWriteMany"] }), want: "incompatible accessMode" },
  ];
  for (const c of cases) it(c.name, () => expect(volumeMismatch(c.volume, c.claim)).toBe(c.want));
});
