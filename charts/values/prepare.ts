// The values step of a render: what charts/render.ts and lint call before templating.
import type { Chart, Values } from "../model.js";
import { coalesceValues } from "./coalesce.js";
import { processDependencies } from "./dependencies.js";
import { validateValues } from "./schema.js";

export interface PreparedValues {
  /** The chart tree to render: disabled subcharts removed, aliases applied, imports lifted. */
  chart: Chart;
  /**
   * The values to render with: the top-level chart's at the root, each subchart's under its
   * name or alias, globals propagated, nulls applied.
   */
  values: Values;
  /** What Helm would log as warnings while processing dependencies. */
  warnings: string[];
}

/**
 * Helm's order (action.Install): process dependencies with the user's values, coalesce, then
 * validate against every values.schema.json. Throws ValuesError or SchemaError. Does not
 * change `chart` or `userValues`.
 */
export function prepareValues(chart: Chart, userValues: Values): PreparedValues {
  const processed = processDependencies(chart, userValues);
  const values = coalesceValues(processed.chart, userValues);
  validateValues(processed.chart, values);
  return { chart: processed.chart, values, warnings: processed.warnings };
}
