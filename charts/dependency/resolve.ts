// Picks one version per dependency: the newest the repository's index lists that satisfies
// the Chart.yaml range (or exactly the locked version for `build`), or the file:// folder's
// version when it satisfies the range. Fetching the archives is fetch.ts's job.
import semver from "semver";
import { ChartError, RepoError } from "../../core/errors.js";
import type { ChartVersion } from "../../repo/indexFile.js";
import { toSemverRange } from "../loader/versions.js";
import { chartFromFiles, readChartDir } from "../loader/index.js";
import type { Chart } from "../model.js";
import type { LockedDependency } from "./lock.js";
import type { IndexLoader, PlannedDependency } from "./sources.js";

export interface ResolvedDependency {
  planned: PlannedDependency;
  locked: LockedDependency;
  /** For repository dependencies: the index entry to download. */
  entry?: ChartVersion;
  /** For file:// dependencies: the loaded folder. */
  local?: { chart: Chart; files: Awaited<ReturnType<typeof readChartDir>> };
}

export interface ResolveVersionOptions {
  loader: IndexLoader;
  /** `build`: the versions Chart.lock pins, by position. */
  pinned?: readonly LockedDependency[];
}

export async function resolveVersions(planned: readonly PlannedDependency[], options: ResolveVersionOptions): Promise<ResolvedDependency[]> {
  return Promise.all(planned.map((p, i) => resolveOne(p, { loader: options.loader, pinned: options.pinned?.[i]?.version })));
}

async function resolveOne(planned: PlannedDependency, ctx: { loader: IndexLoader; pinned?: string }): Promise<ResolvedDependency> {
  const { entry, source, requested, label } = planned;
  const range = entry.version && entry.version.trim() !== "" ? toSemverRange(entry.version) : "*";
  const repository = requested.repository ?? "";
  if (source.kind === "bundled") {
    // Helm locks a bundled subchart with its range as written.
    return { planned, locked: { name: entry.name, version: entry.version ?? "", repository } };
  }
  if (source.kind === "file") {
    const files = await readChartDir(source.dir, { label: source.dir });
    const chart = await chartFromFiles(files, { source: source.dir, label: source.dir });
    const { name, version } = chart.metadata;
    if (name !== entry.name) throw new ChartError(`${label}: ${source.dir} holds chart ${JSON.stringify(name)}, not ${JSON.stringify(entry.name)}`);
    const wanted = ctx.pinned ?? range;
    if (!semver.satisfies(version, wanted, { loose: true })) {
      throw new ChartError(`${label}: ${source.dir} is version ${version}, which does not satisfy ${JSON.stringify(ctx.pinned ?? entry.version)}`);
    }
    return { planned, locked: { name: entry.name, version, repository }, local: { chart, files } };
  }
  const index = await ctx.loader.index(source);
  const versions = index.entries.get(entry.name) ?? [];
  if (versions.length === 0) throw new RepoError(`${label}: chart ${JSON.stringify(entry.name)} not found in repository ${source.url}`);
  const chosen =
    ctx.pinned !== undefined
      ? versions.find((v) => v.version === ctx.pinned)
      : versions.find((v) => v.urls.length > 0 && semver.satisfies(v.version, range, { loose: true }));
  if (chosen === undefined) {
    const wanted = ctx.pinned !== undefined ? `is version ${ctx.pinned} (pinned by Chart.lock)` : `satisfies ${JSON.stringify(entry.version ?? "*")}`;
    throw new RepoError(`${label}: no version of ${entry.name} in ${source.url} ${wanted}`, {
      hint: `available: ${versions.slice(0, 8).map((v) => v.version).join(", ")}`,
    });
  }
  return { planned, locked: { name: entry.name, version: chosen.version, repository }, entry: chosen };
}
