// Chart loading for install / upgrade / diff: a chart folder or archive, checked against
// --version when one is given. REPO/CHART and URLs are located by repo/ first (cli/chartRef.ts).
import semver from "semver";
import { loadChart } from "../charts/loader/index.js";
import type { Chart } from "../charts/model.js";
import { ChartError } from "../core/errors.js";

export interface ResolveChartOptions {
  /** A SemVer constraint the chart's version must meet. */
  version?: string;
}

export async function resolveChart(reference: string, o: ResolveChartOptions = {}): Promise<Chart> {
  const chart = await loadChart(reference);
  if (o.version !== undefined && o.version !== "") {
    if (semver.validRange(o.version) === null) throw new ChartError(`--version ${o.version}: not a valid SemVer constraint`);
    if (!semver.satisfies(chart.metadata.version, o.version, { includePrerelease: true })) {
      throw new ChartError(`chart ${chart.metadata.name} is version ${chart.metadata.version}, which does not satisfy --version ${o.version}`);
    }
  }
  return chart;
}
