// `berth dependency list`: each Chart.yaml dependency and what charts/ holds for it, with
// Helm's statuses: ok, missing, wrong version, unpacked (a folder instead of an archive),
// corrupt (an archive or folder that does not load), misnamed, too many matches.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { isBerthError } from "../../core/errors.js";
import { chartFromFiles, loadChartFromArchive, readChartDir } from "../loader/index.js";
import { toSemverRange } from "../loader/versions.js";
import type { Chart } from "../model.js";
import { isArchiveOf, readChartYaml } from "./manager.js";

export type DependencyStatus = "ok" | "missing" | "wrong version" | "unpacked" | "corrupt" | "misnamed" | "too many matches";

export interface DependencyListing {
  name: string;
  version: string;
  repository: string;
  status: DependencyStatus;
}

export async function listDependencies(chartDir: string): Promise<DependencyListing[]> {
  const metadata = await readChartYaml(chartDir);
  const chartsDir = path.join(chartDir, "charts");
  const files = await readdir(chartsDir).catch(() => []);
  const listings: DependencyListing[] = [];
  for (const dep of metadata.dependencies ?? []) {
    const version = dep.version ?? "";
    const archives = files.filter((f) => isArchiveOf(f, dep.name));
    const status = await statusOf({ name: dep.name, range: version, chartsDir, archives });
    listings.push({ name: dep.name, version, repository: dep.repository ?? "", status });
  }
  return listings;
}

interface StatusInput {
  name: string;
  range: string;
  chartsDir: string;
  archives: string[];
}

async function statusOf(input: StatusInput): Promise<DependencyStatus> {
  if (input.archives.length > 1) return "too many matches";
  const archive = input.archives[0];
  if (archive !== undefined) {
    const file = path.join(input.chartsDir, archive);
    const chart = await loaded(async () => loadChartFromArchive(await readFile(file), file));
    return chart === undefined ? "corrupt" : versionStatus(chart, input, "ok");
  }
  const dir = path.join(input.chartsDir, input.name);
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) return "missing";
  const chart = await loaded(async () => chartFromFiles(await readChartDir(dir, { label: dir }), { source: dir, label: dir }));
  return chart === undefined ? "corrupt" : versionStatus(chart, input, "unpacked");
}

function versionStatus(chart: Chart, input: StatusInput, good: DependencyStatus): DependencyStatus {
  if (chart.metadata.name !== input.name) return "misnamed";
  const range = input.range.trim() === "" ? "*" : toSemverRange(input.range);
  return semver.satisfies(chart.metadata.version, range, { loose: true }) ? good : "wrong version";
}

/** A chart that fails to load is a status here, not an error. */
async function loaded(load: () => Promise<Chart>): Promise<Chart | undefined> {
  try {
    return await load();
  } catch (err) {
    if (isBerthError(err)) return undefined;
    throw err;
  }
}
