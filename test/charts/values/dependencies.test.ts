// Conditions, tags, aliases and import-values (model: pkg/chartutil/dependencies_test.go).
import { describe, expect, it } from "vitest";
import type { Chart, ChartDependency, Values } from "../../../charts/model.js";
import { isCompatibleVersion, processDependencies } from "../../../charts/values/dependencies.js";
import { prepareValues } from "../../../charts/values/prepare.js";
import { buildChart } from "../fixtures/buildChart.js";

function names(chart: Chart): string[] {
  return chart.dependencies.map((sub) => sub.metadata.name);
}

function parentWith(entries: ChartDependency[], values: Values = {}): Chart {
  return buildChart({
    name: "parent",
    values,
    metadata: { dependencies: entries },
    dependencies: [
      { name: "db", version: "1.2.0", values: { port: 5432 } },
      { name: "cache", version: "2.0.0", values: { size: 1, enabled: false } },
    ],
  });
}

describe("conditions and tags", () => {
  interface Case {
    name: string;
    entries: ChartDependency[];
    chartValues?: Values;
    user?: Values;
    want: string[];
  }
  const cases: Case[] = [
    { name: "all enabled by default", entries: [{ name: "db" }, { name: "cache" }], want: ["db", "cache"] },
    {
      name: "condition false in chart values disables",
      entries: [{ name: "db", condition: "db.enabled" }, { name: "cache" }],
      chartValues: { db: { enabled: false } },
      want: ["cache"],
    },
    {
      name: "user value overrides the chart's condition value",
      entries: [{ name: "db", condition: "db.enabled" }],
      chartValues: { db: { enabled: false } },
      user: { db: { enabled: true } },
      want: ["cache", "db"],
    },
    {
      name: "condition read from the subchart's own defaults",
      entries: [{ name: "cache", condition: "cache.enabled" }],
      user: {},
      want: ["db"],
    },
    {
      name: "first condition path that resolves to a bool wins",
      entries: [{ name: "db", condition: "missing.path, notbool, db.on, db.off" }],
      chartValues: { notbool: "yes", db: { on: false, off: true } },
      want: ["cache"],
    },
    {
      name: "a condition that never resolves leaves it enabled",
      entries: [{ name: "db", condition: "nowhere.enabled" }],
      want: ["cache", "db"],
    },
    {
      name: "a false tag disables",
      entries: [{ name: "db", tags: ["backend"] }, { name: "cache", tags: ["front"] }],
      chartValues: { tags: { backend: false } },
      want: ["cache"],
    },
    {
      name: "any true tag enables",
      entries: [{ name: "db", tags: ["backend", "storage"] }],
      chartValues: { tags: { backend: false, storage: true } },
      want: ["cache", "db"],
    },
    {
      name: "condition overrides tags",
      entries: [{ name: "db", tags: ["backend"], condition: "db.enabled" }],
      user: { tags: { backend: false }, db: { enabled: true } },
      want: ["cache", "db"],
    },
    {
      name: "tags from --set disable",
      entries: [{ name: "db", tags: ["backend"] }, { name: "cache", tags: ["backend"] }],
      user: { tags: { backend: false } },
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { chart } = processDependencies(parentWith(c.entries, c.chartValues ?? {}), c.user ?? {});
      expect(names(chart)).toEqual(c.want);
      expect((chart.metadata.dependencies ?? []).map((entry) => entry.alias ?? entry.name)).toEqual(
        c.entries.map((entry) => entry.name).filter((name) => c.want.includes(name)),
      );
    });
  }

  it("warns about a non-bool condition", () => {
    const { warnings } = processDependencies(parentWith([{ name: "db", condition: "flag" }], { flag: "yes" }), {});
    expect(warnings).toEqual(['parent: condition path "flag" for subchart "db" returned string, not a bool']);
  });

  it("applies conditions inside subcharts, in the subchart's values scope", () => {
    const chart = buildChart({
      name: "top",
      metadata: { dependencies: [{ name: "mid" }] },
      dependencies: [
        {
          name: "mid",
          values: { leaf: { enabled: true } },
          metadata: { dependencies: [{ name: "leaf", condition: "leaf.enabled" }] },
          dependencies: [{ name: "leaf" }],
        },
      ],
    });
    expect(names(processDependencies(chart, {}).chart.dependencies[0]!)).toEqual(["leaf"]);
    const off = processDependencies(chart, { mid: { leaf: { enabled: false } } }).chart;
    expect(names(off.dependencies[0]!)).toEqual([]);
  });

  it("reaches a grandchild's conditions through a parent without Chart.yaml entries", () => {
    const chart = buildChart({
      name: "top",
      values: { mid: { leaf: { enabled: false } } },
      dependencies: [
        {
          name: "mid",
          metadata: { dependencies: [{ name: "leaf", condition: "leaf.enabled" }] },
          dependencies: [{ name: "leaf" }],
        },
      ],
    });
    expect(names(processDependencies(chart, {}).chart.dependencies[0]!)).toEqual([]);
  });

  it("applies the top-level tags to a grandchild's entries", () => {
    const chart = buildChart({
      name: "top",
      values: { tags: { heavy: false } },
      dependencies: [
        {
          name: "mid",
          values: { tags: { heavy: true } },
          metadata: { dependencies: [{ name: "leaf", tags: ["heavy"] }] },
          dependencies: [{ name: "leaf" }],
        },
      ],
    });
    expect(names(processDependencies(chart, {}).chart.dependencies[0]!)).toEqual([]);
    expect(names(processDependencies(chart, { tags: { heavy: true } }).chart.dependencies[0]!)).toEqual(["leaf"]);
  });

  it("keeps subcharts no Chart.yaml entry claims and ignores entries without a subchart", () => {
    const chart = parentWith([{ name: "db", condition: "db.enabled" }, { name: "absent" }], { db: { enabled: false } });
    expect(names(processDependencies(chart, {}).chart)).toEqual(["cache"]);
  });

  it("does not claim a subchart whose version is out of the entry's range", () => {
    const chart = parentWith([{ name: "db", version: "^2.0.0", alias: "renamed" }]);
    expect(names(processDependencies(chart, {}).chart)).toEqual(["db", "cache"]);
  });
});

describe("aliases", () => {
  const chart = buildChart({
    name: "parent",
    values: { primary: { role: "primary" } },
    metadata: {
      dependencies: [
        { name: "db", alias: "primary" },
        { name: "db", alias: "replica", condition: "replica.enabled" },
      ],
    },
    dependencies: [{ name: "db", values: { role: "none", port: 5432, replica: { enabled: true } } }],
  });

  it("uses one subchart twice under two names, each with its own values", () => {
    const prepared = prepareValues(chart, { replica: { port: 6000 } });
    expect(names(prepared.chart)).toEqual(["primary", "replica"]);
    expect(prepared.values.primary).toEqual({ role: "primary", port: 5432, replica: { enabled: true }, global: {} });
    expect(prepared.values.replica).toEqual({ role: "none", port: 6000, replica: { enabled: true }, global: {} });
  });

  it("disables one alias by its condition", () => {
    const prepared = prepareValues(chart, { replica: { enabled: false } });
    expect(names(prepared.chart)).toEqual(["primary"]);
    expect(prepared.values.replica).toEqual({ enabled: false });
  });

  it("does not change the input chart", () => {
    const before = structuredClone(chart);
    prepareValues(chart, { replica: { enabled: false } });
    expect(chart).toEqual(before);
    expect(chart.dependencies[0]!.metadata.name).toBe("db");
  });
});

describe("import-values", () => {
  it("lifts exports.<name> of a child to the parent's root (string form)", () => {
    const chart = buildChart({
      name: "parent",
      values: { mine: "parent" },
      metadata: { dependencies: [{ name: "child", importValues: ["data"] }] },
      dependencies: [{ name: "child", values: { exports: { data: { mine: "child", theirs: "child" } } } }],
    });
    const prepared = prepareValues(chart, {});
    expect(prepared.values.mine).toBe("parent");
    expect(prepared.values.theirs).toBe("child");
  });

  it("lifts a child path to a parent path (map form), the parent's values winning", () => {
    const chart = buildChart({
      name: "parent",
      values: { imported: { b: "parent" } },
      metadata: {
        dependencies: [{ name: "child", alias: "kid", importValues: [{ child: "settings.inner", parent: "imported" }] }],
      },
      dependencies: [{ name: "child", values: { settings: { inner: { a: 1, b: "child" } } } }],
    });
    const prepared = prepareValues(chart, { imported: { c: "user" } });
    expect(prepared.values.imported).toEqual({ a: 1, b: "parent", c: "user" });
  });

  it("imports through two levels, bottom-up", () => {
    const chart = buildChart({
      name: "top",
      metadata: { dependencies: [{ name: "mid", importValues: [{ child: "fromLeaf", parent: "lifted" }] }] },
      dependencies: [
        {
          name: "mid",
          metadata: { dependencies: [{ name: "leaf", importValues: [{ child: "deep", parent: "fromLeaf" }] }] },
          dependencies: [{ name: "leaf", values: { deep: { x: 1 } } }],
        },
      ],
    });
    expect(prepareValues(chart, {}).values.lifted).toEqual({ x: 1 });
  });

  it("warns when the child has no such map", () => {
    const chart = buildChart({
      name: "parent",
      metadata: { dependencies: [{ name: "child", importValues: ["nothing"] }] },
      dependencies: [{ name: "child" }],
    });
    expect(prepareValues(chart, {}).warnings).toEqual(['parent: import-values: subchart "child" has no map at "exports.nothing"']);
  });
});

describe("isCompatibleVersion", () => {
  const cases: [string | undefined, string, boolean][] = [
    [undefined, "1.0.0", true],
    ["", "1.0.0", true],
    ["^1.2.0", "1.3.4", true],
    ["^1.2.0", "2.0.0", false],
    [">=1.0.0, <2.0.0", "1.5.0", true],
    [">=1.0.0, <2.0.0", "2.5.0", false],
    ["1.2.x", "1.2.9", true],
    ["not a range", "1.0.0", false],
  ];
  for (const [range, version, want] of cases) {
    it(`${String(range)} ~ ${version}`, () => expect(isCompatibleVersion(range, version)).toBe(want));
  }
});
