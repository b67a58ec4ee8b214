// Chart references, resolved the way every chart-taking command needs them (template, show,
// pull, and later install / upgrade): a local folder or archive is used as is; REPO/CHART is
// looked up in the cached index of a configured repository and downloaded (digest-checked,
// cached); an http(s) URL is downloaded, and checked against a configured repository's index
// when that index lists it.
import { stat } from "node:fs/promises";
import { NotFoundError, UsageError } from "../core/errors.js";
import { isVersionConstraint } from "../charts/loader/versions.js";
import { loadCachedIndex, repoBaseUrl, type RepoContext } from "./client.js";
import { downloadChartUrl, downloadChartVersion, type DownloadedChart } from "./download.js";
import { findVersion } from "./indexFile.js";
import { credentialsOf, loadRepositories, REPO_NAME, type RepositoryEntry } from "./repositories.js";
import { repoPaths, type RepoPaths } from "./paths.js";

export interface ResolveOptions {
  /** SemVer constraint for REPO/CHART; default the newest stable version. */
  version?: string;
  /** Default: from the environment (BERTH_CONFIG_HOME, XDG_…). */
  paths?: RepoPaths;
}

export type ChartReference =
  | { kind: "local"; path: string }
  | { kind: "url"; url: string }
  | { kind: "repository"; repo: string; chart: string };

export interface ResolvedChart {
  /** A chart folder or archive to load: the reference itself, or the verified cached archive. */
  path: string;
  kind: ChartReference["kind"];
  /** Set for downloaded charts. */
  download?: DownloadedChart;
}

const URL_REF = /^https?:\/\//i;

export async function parseChartReference(ref: string): Promise<ChartReference> {
  // A local path wins, as in Helm: a folder named like REPO/CHART is what the user meant.
  if ((await stat(ref).catch(() => undefined)) !== undefined) return { kind: "local", path: ref };
  if (URL_REF.test(ref)) return { kind: "url", url: ref };
  const match = /^([^/]+)\/([^/]+)$/.exec(ref);
  if (match && REPO_NAME.test(match[1] ?? "")) return { kind: "repository", repo: match[1] ?? "", chart: match[2] ?? "" };
  // Not remote-looking: the loader reports the missing path in its own words.
  return { kind: "local", path: ref };
}

export async function resolveChart(ref: string, options: ResolveOptions = {}): Promise<ResolvedChart> {
  const parsed = await parseChartReference(ref);
  if (parsed.kind === "local") return { path: parsed.path, kind: "local" };
  const download = await downloadReference(parsed, options);
  return { path: download.cachePath, kind: parsed.kind, download };
}

/** Downloads a remote reference (REPO/CHART or URL); a local path is a usage error here. */
export async function fetchChart(ref: string, options: ResolveOptions = {}): Promise<DownloadedChart> {
  const parsed = await parseChartReference(ref);
  if (parsed.kind === "local") throw new UsageError(`${ref} is a local path; expected REPO/CHART or a chart URL`);
  return downloadReference(parsed, options);
}

async function downloadReference(ref: Exclude<ChartReference, { kind: "local" }>, options: ResolveOptions): Promise<DownloadedChart> {
  const ctx: RepoContext = { paths: options.paths ?? repoPaths() };
  if (options.version !== undefined && !isVersionConstraint(options.version)) {
    throw new UsageError(`--version: ${JSON.stringify(options.version)} is not a valid version constraint`);
  }
  const repositories = (await loadRepositories(ctx.paths)).repositories;
  if (ref.kind === "url") return downloadUrl(ref.url, repositories, ctx);
  const repo = repositories.find((r) => r.name === ref.repo);
  if (repo === undefined) {
    throw new NotFoundError(`chart not found: ${ref.repo}/${ref.chart}: no local chart there and no repository named ${JSON.stringify(ref.repo)}`, {
      hint: "add it with berth repo add NAME URL",
    });
  }
  const index = await loadCachedIndex(repo.name, ctx);
  const entry = findVersion(index, ref.chart, options.version);
  if (entry === undefined) {
    const known = index.entries.get(ref.chart);
    const what = options.version === undefined ? "" : ` version ${JSON.stringify(options.version)}`;
    throw new NotFoundError(`chart ${JSON.stringify(ref.chart)}${what} not found in repository ${JSON.stringify(repo.name)}`, {
      hint: known && known.length > 0 ? `available: ${known.slice(0, 5).map((v) => v.version).join(", ")}` : "run berth repo update, or berth search repo",
    });
  }
  return downloadChartVersion({ url: repo.url, credentials: credentialsOf(repo) }, entry, ctx);
}

/** Uses the repository the URL lives under (credentials, and the index's digest when listed). */
async function downloadUrl(url: string, repositories: RepositoryEntry[], ctx: RepoContext): Promise<DownloadedChart> {
  const owner = repositories.find((r) => url.startsWith(repoBaseUrl(r.url).toString()));
  if (owner === undefined) return downloadChartUrl(url, ctx);
  const base = repoBaseUrl(owner.url);
  const index = await loadCachedIndex(owner.name, ctx).catch(() => undefined);
  let expectedDigest: string | undefined;
  for (const versions of index?.entries.values() ?? []) {
    const listed = versions.find((v) => v.urls.some((u) => URL.parse(u, base.toString())?.toString() === url));
    if (listed) expectedDigest = listed.digest;
  }
  return downloadChartUrl(url, { ...ctx, credentials: credentialsOf(owner), expectedDigest });
}
