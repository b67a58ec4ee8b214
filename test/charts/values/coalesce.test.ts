// Table tests for Helm's coalescing (model: pkg/chartutil/coalesce_test.go).
import { describe, expect, it } from "vitest";
import { ValuesError } from "../../../core/errors.js";
import { coalesceTables, coalesceValues } from "../../../charts/values/coalesce.js";
import type { Values } from "../../../charts/model.js";
import { buildChart, type BuildChartOptions } from "../fixtures/buildChart.js";

interface Case {
  name: string;
  chart: BuildChartOptions;
  user: Values;
  want: Values;
}

const cases: Case[] = [
  {
    name: "user values win, maps merge deeply",
    chart: { values: { image: { repository: "nginx", tag: "1.0" }, replicas: 1 } },
    user: { image: { tag: "2.0" } },
    want: { image: { repository: "nginx", tag: "2.0" }, replicas: 1 },
  },
  {
    name: "lists replace whole",
    chart: { values: { ports: [80, 443], env: [{ name: "A" }] } },
    user: { ports: [8080] },
    want: { ports: [8080], env: [{ name: "A" }] },
  },
  {
    name: "a scalar replaces a map and a map replaces a scalar",
    chart: { values: { a: { b: 1 }, c: "x" } },
    user: { a: "flat", c: { d: 1 } },
    want: { a: "flat", c: { d: 1 } },
  },
  {
    name: "null in user values deletes a default key",
    chart: { values: { a: 1, nested: { keep: 1, drop: 2 } } },
    user: { a: null, nested: { drop: null } },
    want: { nested: { keep: 1 } },
  },
  {
    name: "null for a key without a default stays null",
    chart: { values: {} },
    user: { extra: null },
    want: { extra: null },
  },
  {
    name: "subchart defaults land under the subchart's name, with globals",
    chart: { values: { global: { env: "prod" } }, dependencies: [{ name: "db", values: { port: 5432 } }] },
    user: {},
    want: { global: { env: "prod" }, db: { port: 5432, global: { env: "prod" } } },
  },
  {
    name: "parent values override subchart defaults, user overrides both",
    chart: {
      values: { db: { port: 6000, user: "parent" } },
      dependencies: [{ name: "db", values: { port: 5432, user: "child", name: "app" } }],
    },
    user: { db: { user: "me" } },
    want: { db: { port: 6000, user: "me", name: "app", global: {} } },
  },
  {
    name: "null in the parent's values deletes a subchart default",
    chart: { values: { db: { password: null } }, dependencies: [{ name: "db", values: { password: "x", port: 1 } }] },
    user: {},
    want: { db: { port: 1, global: {} } },
  },
  {
    name: "null in user values reaches the subchart even when the parent has a section",
    chart: { values: { db: { port: 2 } }, dependencies: [{ name: "db", values: { password: "x", port: 1 } }] },
    user: { db: { password: null } },
    want: { db: { port: 2, global: {} } },
  },
  {
    name: "parent globals win over the child's own globals; the child's others stay",
    chart: {
      values: { global: { region: "eu", labels: { team: "a" } } },
      dependencies: [{ name: "db", values: { global: { region: "us", zone: "1", labels: { tier: "db", team: "b" } } } }],
    },
    user: { global: { region: "ap" } },
    want: {
      global: { region: "ap", labels: { team: "a" } },
      db: { global: { region: "ap", zone: "1", labels: { team: "a", tier: "db" } } },
    },
  },
  {
    name: "globals reach grandchildren",
    chart: {
      values: { global: { g: 1 } },
      dependencies: [{ name: "mid", dependencies: [{ name: "leaf", values: { x: 1 } }] }],
    },
    user: {},
    want: { global: { g: 1 }, mid: { global: { g: 1 }, leaf: { x: 1, global: { g: 1 } } } },
  },
  {
    name: "a null global deletes the child's default global",
    chart: { values: {}, dependencies: [{ name: "db", values: { global: { a: 1, b: 2 } } }] },
    user: { global: { a: null } },
    want: { global: { a: null }, db: { global: { b: 2 } } },
  },
];

describe("coalesceValues", () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(coalesceValues(buildChart(c.chart), c.user)).toEqual(c.want);
    });
  }

  it("does not change the chart's values or the user's values", () => {
    const chart = buildChart({ values: { a: { b: 1 } }, dependencies: [{ name: "db", values: { x: { y: 1 } } }] });
    const user = { a: { c: 2 }, db: { x: { z: null } } };
    const before = structuredClone({ chart: chart.values, sub: chart.dependencies[0]!.values, user });
    coalesceValues(chart, user);
    expect({ chart: chart.values, sub: chart.dependencies[0]!.values, user }).toEqual(before);
  });

  it("fails clearly when a subchart's section is not a map", () => {
    const chart = buildChart({ dependencies: [{ name: "db" }] });
    expect(() => coalesceValues(chart, { db: 3 })).toThrow(ValuesError);
    expect(() => coalesceValues(chart, { db: 3 })).toThrow('db: expected a map of values for subchart "db", got number 3');
  });

  it("treats a null subchart section as no overrides", () => {
    const chart = buildChart({ dependencies: [{ name: "db", values: { a: 1 } }] });
    expect(coalesceValues(chart, { db: null })).toEqual({ db: { a: 1, global: {} } });
  });

  it("coalesces a __proto__ key as data, not as a prototype", () => {
    const user = JSON.parse('{"__proto__": {"polluted": true}}') as Values;
    const chart = buildChart({ values: JSON.parse('{"__proto__": {"other": 1}}') as Values });
    const out = coalesceValues(chart, user);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true,"other":1}}');
  });

  it("keeps nulls with merge", () => {
    const chart = buildChart({ values: { a: 1 } });
    expect(coalesceValues(chart, { a: null }, { merge: true })).toEqual({ a: null });
  });
});

describe("coalesceTables", () => {
  const tableCases: { name: string; dst: Values; src: Values; merge?: boolean; want: Values }[] = [
    { name: "dst wins", dst: { a: 1 }, src: { a: 2, b: 3 }, want: { a: 1, b: 3 } },
    { name: "deep", dst: { a: { b: 1 } }, src: { a: { b: 2, c: 3 } }, want: { a: { b: 1, c: 3 } } },
    { name: "null deletes", dst: { a: null }, src: { a: 2 }, want: {} },
    { name: "null kept with merge", dst: { a: null }, src: { a: 2 }, merge: true, want: { a: null } },
    { name: "both null stays null", dst: { a: null }, src: { a: null }, want: { a: null } },
    { name: "map over scalar keeps dst", dst: { a: { b: 1 } }, src: { a: 2 }, want: { a: { b: 1 } } },
  ];
  for (const c of tableCases) {
    it(c.name, () => expect(coalesceTables(c.dst, c.src, { merge: c.merge ?? false })).toEqual(c.want));
  }
});
