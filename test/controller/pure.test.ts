// Table tests of the controller's pure parts: spec validation, wave / hook ordering, hook
// annotations, the compare normalisation, history trimming and the auto-sync decision.
import { describe, expect, it } from "vitest";
import { parseSpec, parseDuration } from "../../controller/application/parse.js";
import { appendHistory } from "../../controller/application/status.js";
import { emptyStatus, type Application, type HistoryEntry } from "../../controller/application/types.js";
import { hookOf, waveOf, type DesiredResource } from "../../controller/source/resource.js";
import { compare, FIELD_MANAGER } from "../../controller/sync/compare.js";
import { planSteps } from "../../controller/sync/plan.js";
import { autoSyncDecision } from "../../controller/sync/refresh.js";
import { isOwnedBy, withOwner, worstHealth } from "../../controller/sync/resources.js";
import type { Unstructured } from "../../kube/client/index.js";

const cm = (name: string, extra: Partial<Unstructured> = {}): Unstructured => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "ns" }, ...extra });
const res = (name: string, wave = 0, hook?: DesiredResource["hook"]): DesiredResource => ({ object: cm(name), source: `t/${name}.yaml`, wave, ...(hook ? { hook } : {}) });

describe("parseSpec", () => {
  const opts = { appName: "demo", appNamespace: "apps" };
  it.each([
    [{}, "spec.source: must have required property 'source'"],
    [{ source: {} }, "spec.source.repoURL"],
    [{ source: { repoURL: "r" }, revisionHistoryLimit: 0 }, "spec.revisionHistoryLimit: must be >= 1"],
    [{ source: { repoURL: "r" }, pollInterval: "soon" }, "spec.pollInterval"],
    [{ source: { repoURL: "r", helm: { parameters: [{ name: "a" }] } } }, "spec.source.helm.parameters.0.value"],
  ])("rejects %j naming the field", (spec, message) => {
    expect(() => parseSpec(spec, opts)).toThrow(message);
  });
  it("fills in defaults", () => {
    expect(parseSpec({ source: { repoURL: "/r" } }, opts)).toEqual({
      source: { repoURL: "/r", targetRevision: "HEAD", path: "." },
      ignoreDifferences: [],
      destination: { namespace: "apps" },
      syncPolicy: { automated: undefined, syncOptions: [] },
      revisionHistoryLimit: 10,
      pollIntervalMs: 180_000,
    });
  });
  it.each([["30s", 30_000], ["3m", 180_000], ["250ms", 250], ["1h", 3_600_000], ["1m30s", 90_000], ["5", 5000]])("parses duration %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

describe("planSteps", () => {
  it("orders PreSync, then Sync waves ascending, then PostSync; SyncFail hooks stay out", () => {
    const hook = (t: "PreSync" | "Sync" | "PostSync" | "SyncFail") => ({ types: [t], deletePolicies: ["BeforeHookCreation" as const] });
    const steps = planSteps([res("b", 1), res("post", 0, hook("PostSync")), res("a", -1), res("c", 1), res("pre", 5, hook("PreSync")), res("fail", 0, hook("SyncFail")), res("synchook", 1, hook("Sync"))]);
    expect(steps.map((s) => [s.phase, s.wave, s.resources.map((r) => r.object.metadata.name)])).toEqual([
      ["PreSync", 5, ["pre"]],
      ["Sync", -1, ["a"]],
      ["Sync", 1, ["b", "c", "synchook"]],
      ["PostSync", 0, ["post"]],
    ]);
  });
});

describe("hook and wave annotations", () => {
  it.each([
    [{ "berth.dev/hook": "PreSync" }, { types: ["PreSync"], deletePolicies: ["BeforeHookCreation"] }],
    [{ "berth.dev/hook": "PostSync,SyncFail", "berth.dev/hook-delete-policy": "HookSucceeded" }, { types: ["PostSync", "SyncFail"], deletePolicies: ["HookSucceeded"] }],
    [{ "helm.sh/hook": "pre-install,pre-upgrade", "helm.sh/hook-delete-policy": "hook-succeeded" }, { types: ["PreSync"], deletePolicies: ["HookSucceeded"] }],
    [{ "helm.sh/hook": "test" }, "skip"],
    [{}, undefined],
  ])("%j", (annotations, expected) => {
    expect(hookOf(annotations, "f.yaml")).toEqual(expected);
  });
  it("rejects an unknown hook and a non-integer wave with the file", () => {
    expect(() => hookOf({ "berth.dev/hook": "Later" }, "t/x.yaml")).toThrow('t/x.yaml: berth.dev/hook: "Later"');
    expect(() => waveOf({ "berth.dev/sync-wave": "one" }, "t/x.yaml")).toThrow("t/x.yaml: berth.dev/sync-wave");
    expect(waveOf({ "berth.dev/sync-wave": "-2" }, "t/x.yaml")).toBe(-2);
  });
});

describe("compare", () => {
  const owner = { name: "demo", namespace: "apps", uid: "u1" };
  const managed = (obj: Unstructured): Unstructured => ({
    ...obj,
    metadata: { ...obj.metadata, managedFields: [{ manager: FIELD_MANAGER, operation: "Apply", fieldsV1: { "f:data": { "f:k": {} }, "f:metadata": { "f:labels": { "f:app.berth.dev/instance": {} }, "f:annotations": { "f:app.berth.dev/owner": {}, "f:app.berth.dev/owner-uid": {} } } } }] },
  });
  const desired = withOwner(cm("a", { data: { k: "1" } }), owner);
  it.each([
    ["equal", managed(withOwner(cm("a", { data: { k: "1" } }), owner)), "Synced"],
    ["number written as string by the server", managed(withOwner(cm("a", { data: { k: "1" } }), owner)), "Synced"],
    ["changed by hand", managed(withOwner(cm("a", { data: { k: "2" } }), owner)), "OutOfSync"],
    ["missing", undefined, "OutOfSync"],
  ])("%s", (_name, live, sync) => {
    const result = compare({ desired: [desired], live: new Map([["|ConfigMap|ns|a", { object: live }]]), owned: [] });
    expect(result.sync).toBe(sync);
  });
  it("reports owned leftovers as requiring pruning, unless Prune=false", () => {
    const leftover = withOwner(cm("old"), owner);
    const kept = withOwner(cm("kept", { metadata: { name: "kept", namespace: "ns", annotations: { "berth.dev/sync-options": "Prune=false" } } }), owner);
    const result = compare({ desired: [], live: new Map(), owned: [leftover, kept] });
    expect(result.resources.map((r) => [r.name, r.status, r.message])).toEqual([
      ["kept", "Synced", "ignored: Prune=false"],
      ["old", "OutOfSync", "requires pruning"],
    ]);
  });
  it("owns only with label, owner and uid", () => {
    expect(isOwnedBy(withOwner(cm("a"), owner), owner)).toBe(true);
    expect(isOwnedBy(withOwner(cm("a"), { ...owner, uid: "other" }), owner)).toBe(false);
    expect(isOwnedBy(withOwner(cm("a"), { ...owner, namespace: "x" }), owner)).toBe(false);
  });
  it("takes the worst health", () => {
    expect(worstHealth(["Healthy", "Progressing", undefined])).toBe("Progressing");
    expect(worstHealth(["Missing", "Degraded", "Healthy"])).toBe("Degraded");
    expect(worstHealth([])).toBe("Healthy");
  });
});

describe("history", () => {
  const entry = (revision: string): Omit<HistoryEntry, "id"> => ({ revision, message: "m", author: "a", deployedAt: "t", deployedBy: "automated", source: { repoURL: "r", targetRevision: "main", path: "." } });
  it("numbers entries and keeps the newest `limit`, never reusing ids", () => {
    let h: HistoryEntry[] = [];
    for (const r of ["a", "b", "c", "d"]) h = appendHistory(h, entry(r), 2);
    expect(h.map((x) => [x.id, x.revision])).toEqual([[3, "c"], [4, "d"]]);
  });
});

describe("autoSyncDecision", () => {
  const app = (automated: { prune: boolean; selfHeal: boolean } | undefined, last?: { revision: string; phase: "Succeeded" | "Failed"; finishedAt: string }): Application => {
    const status = emptyStatus();
    if (last) status.operationState = { id: "x", phase: last.phase, message: "", startedAt: last.finishedAt, finishedAt: last.finishedAt, initiatedBy: "automated", step: 0, stepApplied: false, prune: false, syncResult: { revision: last.revision, resources: [] } };
    return { name: "a", namespace: "n", uid: "u", resourceVersion: "1", deleting: false, finalizers: [], spec: { source: { repoURL: "r", targetRevision: "main", path: "." }, ignoreDifferences: [], destination: { namespace: "n" }, syncPolicy: { automated, syncOptions: [] }, revisionHistoryLimit: 10, pollIntervalMs: 1000 }, status, raw: cm("x") };
  };
  const out = { sync: "OutOfSync" as const, health: "Healthy" as const, healthMessage: "", resources: [] };
  const t0 = Date.parse("2025-01-01T00:00:00Z");
  it.each([
    ["manual app", app(undefined), "c1", t0, false],
    ["new commit", app({ prune: false, selfHeal: false }, { revision: "c0", phase: "Succeeded", finishedAt: "2025-01-01T00:00:00Z" }), "c1", t0, true],
    ["same commit, no selfHeal", app({ prune: false, selfHeal: false }, { revision: "c1", phase: "Succeeded", finishedAt: "2025-01-01T00:00:00Z" }), "c1", t0 + 10_000, false],
    ["same commit, selfHeal, after backoff", app({ prune: false, selfHeal: true }, { revision: "c1", phase: "Succeeded", finishedAt: "2025-01-01T00:00:00Z" }), "c1", t0 + 10_000, true],
    ["same commit, selfHeal, within backoff", app({ prune: false, selfHeal: true }, { revision: "c1", phase: "Succeeded", finishedAt: "2025-01-01T00:00:00Z" }), "c1", t0 + 100, false],
    ["failed commit is not retried", app({ prune: false, selfHeal: true }, { revision: "c1", phase: "Failed", finishedAt: "2025-01-01T00:00:00Z" }), "c1", t0 + 10_000, false],
  ])("%s", (_name, a, commit, now, expected) => {
    expect(autoSyncDecision(a, out, commit, now, 2000).sync).toBe(expected);
  });
});
