// Helm's coalescing (pkg/chartutil/coalesce.go): user values over chart defaults, recursively
// into subcharts. The values tree of a chart holds each subchart's values under the
// subchart's name (its alias when it has one), so a parent's values.yaml and the user can set
// a subchart's values.
//
// Rules, higher precedence first: user values > parent chart values > the chart's own
// defaults. Maps merge key by key; lists and scalars replace whole. A `null` from a higher
// level deletes the key a lower level gave a default to. Each subchart gets its parent's
// `global` map merged over its own `global` (the parent's keys win).
import { ValuesError } from "../../core/errors.js";
import type { Chart, Values } from "../model.js";
import { deepCopy, describeValue, getOwn, isTable, setOwn, typeName } from "./tree.js";

export const GLOBAL_KEY = "global";

export interface CoalesceOptions {
  /**
   * Keep nulls instead of letting them delete keys (Helm's MergeValues). Used while processing
   * dependencies, whose output is coalesced again later where the nulls then take effect.
   */
  merge?: boolean;
}

/**
 * The full values tree for `chart`: `userValues` coalesced over the chart's defaults and,
 * under each subchart's name, over that subchart's defaults. Inputs are not changed.
 */
export function coalesceValues(chart: Chart, userValues: Values, options: CoalesceOptions = {}): Values {
  return coalesce(chart, deepCopy(userValues), { merge: options.merge ?? false, prefix: "" });
}

/**
 * Merges `src` into `dst` with `dst` winning (Helm's CoalesceTables / MergeTables); changes and
 * returns `dst`. A null in `dst` deletes what `src` would give, unless `merge` is set.
 */
export function coalesceTables(dst: Values, src: Values, options: CoalesceOptions = {}): Values {
  const merge = options.merge ?? false;
  for (const [key, srcValue] of Object.entries(src)) {
    if (!Object.hasOwn(dst, key)) {
      setOwn(dst, key, deepCopy(srcValue));
      continue;
    }
    const dstValue = getOwn(dst, key);
    if (dstValue === null) {
      // Both null: keep the null; otherwise the higher level is removing a default.
      if (!merge && srcValue !== null) delete dst[key];
    } else if (isTable(dstValue) && isTable(srcValue)) {
      coalesceTables(dstValue, srcValue, options);
    }
    // Any other pair: dst wins as it is (Helm warns when a map meets a non-map).
  }
  return dst;
}

interface Walk {
  merge: boolean;
  /** Where in the top-level values tree we are, for messages ("" at the top). */
  prefix: string;
}

function coalesce(chart: Chart, dest: Values, walk: Walk): Values {
  coalesceChartDefaults(chart, dest, walk);
  coalesceSubcharts(chart, dest, walk);
  return dest;
}

/** Fills `dest` from the chart's own values.yaml, dest winning. */
function coalesceChartDefaults(chart: Chart, dest: Values, walk: Walk): void {
  const subchartNames = new Set(chart.dependencies.map((sub) => sub.metadata.name));
  for (const [key, defaultValue] of Object.entries(chart.values)) {
    if (!Object.hasOwn(dest, key)) {
      setOwn(dest, key, deepCopy(defaultValue));
      continue;
    }
    const value = getOwn(dest, key);
    if (value === null && !walk.merge) {
      // A null from the user (or a parent) removes the chart's default for this key.
      delete dest[key];
    } else if (isTable(value) && isTable(defaultValue)) {
      // A subchart's section keeps its nulls here: they must reach the subchart's own
      // coalescing to delete the subchart's defaults (Helm's childChartMergeTrue).
      coalesceTables(value, defaultValue, { merge: walk.merge || subchartNames.has(key) });
    }
  }
}

function coalesceSubcharts(chart: Chart, dest: Values, walk: Walk): void {
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    const prefix = walk.prefix === "" ? name : `${walk.prefix}.${name}`;
    const section = subchartSection(dest, name, prefix);
    setOwn(dest, name, section);
    coalesceGlobals(section, dest);
    coalesce(sub, section, { merge: walk.merge, prefix });
  }
}

function subchartSection(dest: Values, name: string, prefix: string): Values {
  const section = getOwn(dest, name);
  // Helm fails on null here; treating it as "no overrides" is what a user writing
  // `sub: null` means.
  if (section === undefined || section === null) return {};
  if (isTable(section)) return section;
  throw new ValuesError(
    `${prefix}: expected a map of values for subchart "${name}", got ${typeName(section)} ${describeValue(section)}`,
  );
}

/** Copies the parent's `global` into the subchart's section, the parent's keys winning. */
function coalesceGlobals(dest: Values, parent: Values): void {
  const destGlobals = getOwn(dest, GLOBAL_KEY) ?? {};
  const parentGlobals = getOwn(parent, GLOBAL_KEY) ?? {};
  // Helm skips (with a warning) globals that are not maps.
  if (!isTable(destGlobals) || !isTable(parentGlobals)) return;
  for (const [key, value] of Object.entries(parentGlobals)) {
    const current = getOwn(destGlobals, key);
    if (isTable(value)) {
      const merged = deepCopy(value);
      if (current === undefined) setOwn(destGlobals, key, merged);
      else if (isTable(current)) setOwn(destGlobals, key, coalesceTables(merged, current, { merge: true }));
      // A parent map over a child scalar: Helm keeps the child's value.
    } else if (!isTable(current)) {
      setOwn(destGlobals, key, value);
    }
  }
  dest[GLOBAL_KEY] = destGlobals;
}
