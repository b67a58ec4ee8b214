// A chart argument as users write it: a folder, an archive, REPO/CHART or a chart URL. The
// repository side (download, digest check, cache) is repo/'s; loading and the --version check
// are release/'s. Shared by install, upgrade and diff.
import type { Chart } from "../charts/model.js";

export async function loadChartReference(reference: string, version: string | undefined): Promise<Chart> {
  const { resolveChart: locate } = await import("../repo/resolve.js");
  const { resolveChart } = await import("../release/chartSource.js");
  const located = await locate(reference, { version });
  return resolveChart(located.path, { version });
}
