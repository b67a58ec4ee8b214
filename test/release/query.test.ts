// `berth list` semantics (Helm's action/list.go) and the upgrade rules (Helm's prepareUpgrade),
// on the in-memory storage: table tests.
import { describe, expect, it } from "vitest";
import type { Chart } from "../../charts/model.js";
import { listReleases, type ListOptions } from "../../release/actions/query.js";
import { ignoredValuesFlags, upgradeBase, upgradeValues } from "../../release/actions/upgrade.js";
import type { Release, ReleaseStatus } from "../../release/model.js";
import { MemoryReleaseStorage } from "../../release/storage/index.js";
import { buildRelease } from "./fixtures.js";

/** name → statuses of its revisions, oldest first; times grow with the table's order. */
const RELEASES: [string, ReleaseStatus[]][] = [
  ["web", ["superseded", "deployed"]],
  ["api", ["deployed", "failed"]],
  ["db", ["superseded", "uninstalled"]],
  ["job", ["pending-install"]],
  ["cache", ["failed"]],
];

async function storage(): Promise<MemoryReleaseStorage> {
  const s = new MemoryReleaseStorage();
  let minute = 0;
  for (const [name, statuses] of RELEASES) {
    for (const [i, status] of statuses.entries()) {
      const r = buildRelease({ name, version: i + 1, status });
      const time = new Date(Date.UTC(2024, 0, 1, 0, minute++)).toISOString();
      await s.create({ ...r, info: { ...r.info, lastDeployed: time } });
    }
  }
  await s.create(buildRelease({ name: "other", namespace: "team", status: "deployed" }));
  return s;
}

describe("listReleases", () => {
  it.each<[string, ListOptions, string[]]>([
    ["default: deployed and failed, by name", { namespace: "default" }, ["api.2", "cache.1", "web.2"]],
    ["--all", { namespace: "default", all: true }, ["api.2", "cache.1", "db.2", "job.1", "web.2"]],
    ["--deployed looks at the newest revision only", { namespace: "default", statuses: ["deployed"] }, ["web.2"]],
    ["--superseded alone lists every superseded revision", { namespace: "default", statuses: ["superseded"] }, ["db.1", "web.1"]],
    ["--pending", { namespace: "default", statuses: ["pending-install", "pending-upgrade", "pending-rollback"] }, ["job.1"]],
    ["--uninstalled", { namespace: "default", statuses: ["uninstalled"] }, ["db.2"]],
    ["--filter", { namespace: "default", all: true, filter: "^(api|db)$" }, ["api.2", "db.2"]],
    ["--date: oldest first", { namespace: "default", byDate: true }, ["web.2", "api.2", "cache.1"]],
    ["--date --reverse", { namespace: "default", byDate: true, reverse: true }, ["cache.1", "api.2", "web.2"]],
    ["--reverse", { namespace: "default", reverse: true }, ["web.2", "cache.1", "api.2"]],
    ["--max", { namespace: "default", max: 2 }, ["api.2", "cache.1"]],
    ["--offset --max", { namespace: "default", offset: 1, max: 1 }, ["cache.1"]],
    ["--offset past the end", { namespace: "default", offset: 10 }, []],
    ["-A", {}, ["api.2", "cache.1", "other.1", "web.2"]],
  ])("%s", async (_label, options, expected) => {
    const rows = await listReleases(await storage(), options);
    expect(rows.map((r) => `${r.name}.${r.version}`)).toEqual(expected);
  });

  it.each<[string, ListOptions, RegExp]>([
    ["a bad regular expression", { filter: "a(" }, /-f\/--filter: invalid regular expression "a\("/],
    ["a negative --max", { max: -1 }, /--max: expected a whole number, got -1/],
  ])("refuses %s", async (_label, options, message) => {
    await expect(listReleases(await storage(), options)).rejects.toThrow(message);
  });
});

const history = (...statuses: ReleaseStatus[]): Release[] => statuses.map((status, i) => buildRelease({ version: i + 1, status }));

describe("upgradeBase (Helm's prepareUpgrade)", () => {
  it.each<[string, Release[], number | undefined]>([
    ["no history", [], undefined],
    ["the deployed revision", history("superseded", "deployed"), 2],
    ["the deployed one under a failed newest", history("deployed", "failed", "failed"), 1],
    ["only failures: the newest failed one", history("failed", "failed"), 2],
    ["a superseded newest without a deployed one", history("failed", "superseded"), 2],
    ["uninstalled: none", history("superseded", "uninstalled"), undefined],
    ["unknown: none", history("unknown"), undefined],
  ])("%s", (_label, revisions, expected) => {
    expect(upgradeBase(revisions)?.version).toBe(expected);
  });
});

describe("upgrade values", () => {
  const chart: Chart = {
    metadata: { apiVersion: "v2", name: "demo", version: "0.1.0" },
    metadataText: "",
    values: { a: 0, b: 0 },
    valuesText: "",
    templates: [],
    crds: [],
    files: [],
    dependencies: [],
    source: "test",
  };
  const base = buildRelease({ config: { a: 1 } });

  it.each<[string, Partial<Parameters<typeof upgradeValues>[0]>, Record<string, unknown>]>([
    ["no flags, no new values: the previous ones", {}, { a: 1 }],
    ["no flags, new values: only those", { userValues: { b: 2 } }, { b: 2 }],
    ["--reuse-values keeps the previous user values in the record", { reuseValues: true, userValues: { b: 2 } }, { a: 1, b: 2 }],
    ["--reset-then-reuse-values", { resetThenReuseValues: true, userValues: { b: 2 } }, { a: 1, b: 2 }],
    ["--reset-values wins over --reuse-values", { resetValues: true, reuseValues: true, userValues: { b: 2 } }, { b: 2 }],
  ])("%s", (_label, o, config) => {
    expect(upgradeValues({ chart, ...o }, base).config).toEqual(config);
  });

  it("says which values flags Helm ignores", () => {
    expect(ignoredValuesFlags({ resetValues: true, reuseValues: true, resetThenReuseValues: true })).toEqual([
      "--reuse-values is ignored: --reset-values takes precedence",
      "--reset-then-reuse-values is ignored: --reset-values takes precedence",
    ]);
    expect(ignoredValuesFlags({ reuseValues: true })).toEqual([]);
  });
});
