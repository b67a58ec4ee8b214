// Helm's ProcessDependencies (pkg/chartutil/dependencies.go) on an in-memory chart tree:
//  1. aliases: a Chart.yaml entry with `alias` uses a copy of the subchart named by the alias,
//     so one subchart can serve twice under two names;
//  2. `tags` and `condition` enable or disable subcharts (a disabled one is dropped);
//  3. `import-values` lift values from subcharts into their parent's values.
// Subcharts in charts/ that no Chart.yaml entry matches stay, always enabled. Chart.yaml
// entries with no subchart are ignored here (lint and `dependency` report them). The input
// chart is never changed: every changed level is a new object.
import semver from "semver";
import type { Chart, ChartDependency, ImportValuesMapping, Values } from "../model.js";
import { coalesceTables, coalesceValues } from "./coalesce.js";
import { deepCopy, getOwn, isTable, pathValue, tableAt, typeName } from "./tree.js";

export interface ProcessedDependencies {
  chart: Chart;
  /** Things Helm logs as warnings (non-bool conditions, missing import tables). */
  warnings: string[];
}

export function processDependencies(chart: Chart, userValues: Values): ProcessedDependencies {
  const warnings: string[] = [];
  const enabled = processEnabled(chart, userValues, { warnings });
  return { chart: processImports(enabled, warnings), warnings };
}

/** The name a Chart.yaml entry gives its subchart in the values tree. */
export function dependencyName(entry: ChartDependency): string {
  return entry.alias !== undefined && entry.alias !== "" ? entry.alias : entry.name;
}

/** Helm's IsCompatibleRange: an empty range takes any version; a bad range matches none. */
export function isCompatibleVersion(range: string | undefined, version: string): boolean {
  if (range === undefined || range.trim() === "") return true;
  // Masterminds semver (Helm's) writes AND as a comma: ">=1.0, <2.0".
  const normalised = semver.validRange(range.replace(/,/g, " "));
  return normalised !== null && semver.satisfies(version, normalised);
}

interface EnabledContext {
  warnings: string[];
  /** The top-level chart's `tags` map: tags apply to the whole tree. */
  rootTags?: Values;
}

function processEnabled(chart: Chart, scopeValues: Values, ctx: EnabledContext): Chart {
  const entries = chart.metadata.dependencies ?? [];
  const subcharts = entries.length === 0 ? chart.dependencies : resolveSubcharts(chart, entries);
  // Conditions and tags read the values as they will render: defaults, parents, user.
  const scoped = coalesceValues({ ...chart, dependencies: subcharts }, scopeValues);
  const tags = ctx.rootTags === undefined ? tableAt(scoped, "tags") : nestedTags(ctx.rootTags, chart);
  const childCtx: EnabledContext = { ...ctx, rootTags: ctx.rootTags ?? tags ?? {} };
  if (entries.length === 0) {
    // Helm stops here; going on lets a grandchild's own Chart.yaml entries still apply.
    return { ...chart, dependencies: subcharts.map((sub) => processEnabled(sub, sectionOf(scoped, sub), childCtx)) };
  }
  const disabled = new Set<string>();
  for (const entry of entries) {
    if (!isEnabled(entry, { values: scoped, tags, warnings: ctx.warnings, chart: chart.metadata.name })) {
      disabled.add(dependencyName(entry));
    }
  }
  const kept = subcharts
    .filter((sub) => !disabled.has(sub.metadata.name))
    .map((sub) => processEnabled(sub, sectionOf(scoped, sub), childCtx));
  const keptEntries = entries.filter((entry) => !disabled.has(dependencyName(entry))).map((entry) => ({ ...entry, enabled: true }));
  return { ...chart, metadata: { ...chart.metadata, dependencies: keptEntries }, dependencies: kept };
}

/** Below the top, Helm reads the top-level tags with the subchart's own default tags filling gaps. */
function nestedTags(rootTags: Values, chart: Chart): Values | undefined {
  const own = chart.values.tags;
  if (!isTable(own)) return Object.keys(rootTags).length > 0 ? rootTags : undefined;
  return coalesceTables(deepCopy(rootTags), own);
}

function sectionOf(values: Values, sub: Chart): Values {
  const section = getOwn(values, sub.metadata.name);
  return isTable(section) ? section : {};
}

/**
 * The subcharts as the parent sees them: first those no Chart.yaml entry claims, then one per
 * entry (in Chart.yaml order) that found its subchart, renamed to the entry's alias.
 */
function resolveSubcharts(chart: Chart, entries: ChartDependency[]): Chart[] {
  const claims = (entry: ChartDependency, sub: Chart): boolean =>
    sub.metadata.name === entry.name && isCompatibleVersion(entry.version, sub.metadata.version);
  const unclaimed = chart.dependencies.filter((sub) => !entries.some((entry) => claims(entry, sub)));
  const claimed: Chart[] = [];
  for (const entry of entries) {
    const sub = chart.dependencies.find((candidate) => claims(entry, candidate));
    if (sub === undefined) continue;
    const name = dependencyName(entry);
    claimed.push(name === sub.metadata.name ? sub : { ...sub, metadata: { ...sub.metadata, name } });
  }
  return [...unclaimed, ...claimed];
}

interface Decision {
  values: Values;
  tags: Values | undefined;
  warnings: string[];
  chart: string;
}

/** Tags first (any true tag enables, else any false tag disables); a condition overrides. */
function isEnabled(entry: ChartDependency, decision: Decision): boolean {
  let enabled = true;
  if (decision.tags !== undefined) {
    const flags = (entry.tags ?? []).map((tag) => tagValue(tag, entry, decision));
    enabled = flags.includes(true) || !flags.includes(false);
  }
  for (const raw of (entry.condition ?? "").split(",")) {
    const condition = raw.trim();
    if (condition === "") continue;
    const value = pathValue(decision.values, condition);
    if (typeof value === "boolean") return value;
    if (value !== undefined) {
      decision.warnings.push(
        `${decision.chart}: condition path "${condition}" for subchart "${dependencyName(entry)}" returned ${typeName(value)}, not a bool`,
      );
    }
  }
  return enabled;
}

function tagValue(tag: string, entry: ChartDependency, decision: Decision): boolean | undefined {
  const value = decision.tags === undefined ? undefined : getOwn(decision.tags, tag);
  if (value === undefined || typeof value === "boolean") return value;
  decision.warnings.push(`${decision.chart}: tag "${tag}" for subchart "${dependencyName(entry)}" is ${typeName(value)}, not a bool`);
  return undefined;
}

/** Import values bottom-up, so a grandchild's imports are in the child before the parent reads it. */
function processImports(chart: Chart, warnings: string[]): Chart {
  const current: Chart = { ...chart, dependencies: chart.dependencies.map((sub) => processImports(sub, warnings)) };
  const entries = current.metadata.dependencies ?? [];
  if (!entries.some((entry) => (entry.importValues ?? []).length > 0)) return current;
  // Helm merges (keeping nulls) the chart's defaults with its subcharts' defaults, without
  // user values: imports read what the subcharts ship.
  const merged = coalesceValues(current, {}, { merge: true });
  let imported: Values = {};
  for (const entry of entries) {
    for (const spec of entry.importValues ?? []) {
      const { child, parent } = importMapping(spec);
      const name = dependencyName(entry);
      const table = tableAt(merged, `${name}.${child}`);
      if (table === undefined) {
        warnings.push(`${current.metadata.name}: import-values: subchart "${name}" has no map at "${child}"`);
        continue;
      }
      // Earlier imports win over later ones, as in Helm.
      imported = coalesceTables(imported, nestUnder(parent, deepCopy(table)), { merge: true });
    }
  }
  // The parent's own values win over what it imports.
  return { ...current, values: coalesceTables(merged, imported, { merge: true }) };
}

function importMapping(spec: string | ImportValuesMapping): ImportValuesMapping {
  return typeof spec === "string" ? { child: `exports.${spec}`, parent: "." } : spec;
}

/** `a.b` + data → { a: { b: data } }; "." is the root. */
function nestUnder(path: string, data: Values): Values {
  if (path === "." || path === "") return data;
  return path
    .split(".")
    .reverse()
    .reduce<Values>((inner, key) => ({ [key]: inner }), data);
}
