// `berth dependency update | build`: resolve, fetch and verify every dependency in memory
// first; only when all of them are good are charts/ and Chart.lock written (each file
// atomically). A failure therefore leaves charts/ and Chart.lock byte-identical.
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { ChartError } from "../../core/errors.js";
import { downloadChartVersion } from "../../repo/download.js";
import { writeFileAtomic } from "../../repo/fsutil.js";
import { repoPaths, type RepoPaths } from "../../repo/paths.js";
import { parseChartMetadata } from "../loader/index.js";
import { deterministicTgz } from "../package/index.js";
import type { ChartLock, ChartMetadata } from "../model.js";
import { LOCK_FILE, lockDigest, readLockFile, serializeLock } from "./lock.js";
import { resolveVersions, type ResolvedDependency } from "./resolve.js";
import { IndexLoader, planDependencies } from "./sources.js";

export interface DependencyOptions {
  /** Default: from the environment. */
  paths?: RepoPaths;
  /** Do not refresh the configured repositories' cached indexes first. */
  skipRefresh?: boolean;
  /** Chart.lock's `generated` when a new lock is written; default now. */
  now?: Date;
}

export interface DependencyResult {
  lock: ChartLock;
  /** Archives written into charts/ (file names). */
  saved: string[];
  /** Stale archives removed from charts/. */
  removed: string[];
  lockWritten: boolean;
}

export async function readChartYaml(chartDir: string): Promise<ChartMetadata> {
  const file = path.join(chartDir, "Chart.yaml");
  const text = await readFile(file, "utf8").catch((err: unknown) => {
    throw new ChartError(`${file}: cannot read the chart's Chart.yaml (is ${chartDir} a chart folder?)`, { cause: err });
  });
  return parseChartMetadata(text, file);
}

/** Resolves the Chart.yaml ranges to the newest matching versions and writes Chart.lock and charts/. */
export async function updateDependencies(chartDir: string, options: DependencyOptions = {}): Promise<DependencyResult> {
  const paths = options.paths ?? repoPaths();
  const metadata = await readChartYaml(chartDir);
  const planned = await planDependencies(metadata.dependencies ?? [], { chartDir, paths });
  const resolved = await resolveVersions(planned, { loader: new IndexLoader({ paths, skipRefresh: options.skipRefresh }) });
  const locked = resolved.map((r) => r.locked);
  const digest = lockDigest(planned.map((p) => p.requested), locked);
  const archives = await fetchArchives(resolved, paths);
  const previous = await readLockFile(chartDir).catch(() => undefined);
  // An unchanged resolution keeps the old file (and its `generated`), so reruns change nothing.
  const unchanged = previous !== undefined && previous.digest === digest;
  const lock = unchanged ? previous : { generated: (options.now ?? new Date()).toISOString(), digest, dependencies: locked };
  const { saved, removed } = await writeCharts(chartDir, { archives, metadata });
  if (!unchanged) await writeFileAtomic(path.join(chartDir, LOCK_FILE), serializeLock(lock));
  return { lock, saved, removed, lockWritten: !unchanged };
}

/** Fetches exactly the versions Chart.lock pins; without a lock it is `update` (as Helm). */
export async function buildDependencies(chartDir: string, options: DependencyOptions = {}): Promise<DependencyResult> {
  const lock = await readLockFile(chartDir);
  if (lock === undefined) return updateDependencies(chartDir, options);
  const paths = options.paths ?? repoPaths();
  const metadata = await readChartYaml(chartDir);
  const planned = await planDependencies(metadata.dependencies ?? [], { chartDir, paths });
  if (lockDigest(planned.map((p) => p.requested), lock.dependencies) !== lock.digest) {
    throw new ChartError(`${path.join(chartDir, LOCK_FILE)} is out of sync with Chart.yaml (the dependencies changed since it was written)`, {
      hint: "run berth dependency update",
    });
  }
  const loader = new IndexLoader({ paths, skipRefresh: options.skipRefresh });
  const resolved = await resolveVersions(planned, { loader, pinned: lock.dependencies });
  const archives = await fetchArchives(resolved, paths);
  const { saved, removed } = await writeCharts(chartDir, { archives, metadata });
  return { lock, saved, removed, lockWritten: false };
}

interface Archive {
  fileName: string;
  data: Buffer;
}

async function fetchArchives(resolved: readonly ResolvedDependency[], paths: RepoPaths): Promise<Archive[]> {
  const archives = await Promise.all(
    resolved.map(async (r): Promise<Archive | undefined> => {
      const { source } = r.planned;
      if (r.local !== undefined) {
        const { name, version } = r.local.chart.metadata;
        const data = deterministicTgz(r.local.files.map((f) => ({ path: `${name}/${f.path}`, data: f.data })));
        return { fileName: `${name}-${version}.tgz`, data };
      }
      if (r.entry === undefined || source.kind !== "repository") return undefined;
      const download = await downloadChartVersion({ url: source.url, credentials: source.credentials }, r.entry, { paths });
      return { fileName: download.fileName, data: download.data };
    }),
  );
  return archives.filter((a): a is Archive => a !== undefined);
}

/**
 * Writes the archives into charts/ and removes the archives of declared dependencies that are
 * no longer wanted (NAME-VERSION.tgz of a Chart.yaml dependency). Other files in charts/ —
 * subchart folders, archives nobody declared — are the user's and stay.
 */
async function writeCharts(chartDir: string, input: { archives: Archive[]; metadata: ChartMetadata }): Promise<{ saved: string[]; removed: string[] }> {
  const chartsDir = path.join(chartDir, "charts");
  const wanted = new Set(input.archives.map((a) => a.fileName));
  for (const archive of input.archives) {
    const target = path.join(chartsDir, archive.fileName);
    const current = await readFile(target).catch(() => undefined);
    if (current === undefined || !current.equals(archive.data)) await writeFileAtomic(target, archive.data);
  }
  const names = (input.metadata.dependencies ?? []).filter((d) => d.repository).map((d) => d.name);
  const removed: string[] = [];
  for (const file of await readdir(chartsDir).catch(() => [])) {
    if (wanted.has(file) || !names.some((name) => isArchiveOf(file, name))) continue;
    await rm(path.join(chartsDir, file), { force: true });
    removed.push(file);
  }
  return { saved: [...wanted].sort(), removed: removed.sort() };
}

/** NAME-VERSION.tgz where VERSION starts with a digit (so "web" does not claim "web-ui-1.0.0.tgz"). */
export function isArchiveOf(file: string, name: string): boolean {
  return file.startsWith(`${name}-`) && file.endsWith(".tgz") && /^\d+\.\d+\.\d+/.test(file.slice(name.length + 1, -4));
}
