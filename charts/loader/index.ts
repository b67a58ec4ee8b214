// Chart loading: `loadChart` takes a chart folder or a .tgz archive path and returns the
// validated in-memory Chart (charts/model.ts); `loadChartFromArchive` takes archive bytes.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { NotFoundError } from "../../core/errors.js";
import type { Chart } from "../model.js";
import { chartFromFiles, loadChartFromArchive } from "./chart.js";
import { readChartDir } from "./directory.js";

export { loadChartFromArchive, chartFromFiles } from "./chart.js";
export { readChartArchive, DEFAULT_ARCHIVE_LIMITS, type ArchiveContents, type ArchiveLimits } from "./archive.js";
export { readChartDir } from "./directory.js";
export { parseChartMetadata } from "./chartfile.js";
export { parseHelmignore, HELMIGNORE, type IgnoreRules } from "./helmignore.js";

export async function loadChart(pathOrArchive: string): Promise<Chart> {
  const info = await stat(pathOrArchive).catch(() => undefined);
  if (info?.isDirectory()) {
    const label = chartLabel(pathOrArchive);
    const files = await readChartDir(pathOrArchive, { label });
    return chartFromFiles(files, { source: pathOrArchive, label });
  }
  if (info?.isFile()) return loadChartFromArchive(await readFile(pathOrArchive), pathOrArchive);
  throw new NotFoundError(`chart not found: ${pathOrArchive} (expected a chart folder or a .tgz archive)`);
}

/** The folder as the user wrote it, so messages read `mychart/Chart.yaml:3: …`. */
function chartLabel(dir: string): string {
  const trimmed = path.normalize(dir).replace(/[/\\]+$/, "");
  return trimmed === "" ? "." : trimmed;
}
