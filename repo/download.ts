// Downloads chart archives from repositories. Every archive is checked before anyone sees it:
// its sha256 must equal the index's digest, and it must load as the chart the index names
// (hostile-archive rules). Only then is it stored in the content-addressed cache; a mismatch
// writes nothing.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { RepoError } from "../core/errors.js";
import { DEFAULT_ARCHIVE_LIMITS, loadChartFromArchive } from "../charts/loader/index.js";
import type { Chart } from "../charts/model.js";
import { repoBaseUrl, type RepoContext } from "./client.js";
import { writeFileAtomic } from "./fsutil.js";
import { displayUrl, fetchBytes, parseHttpUrl, type Credentials } from "./http.js";
import type { ChartVersion } from "./indexFile.js";
import { cachedArchiveFile } from "./paths.js";

export interface DownloadedChart {
  data: Buffer;
  /** NAME-VERSION.tgz (or the URL's file name for a chart URL). */
  fileName: string;
  /** The verified copy in the cache. */
  cachePath: string;
  chart: Chart;
  digest: string;
}

export interface RepositoryLocation {
  url: string;
  credentials?: Credentials;
}

export function sha256Hex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The archive of one index entry, from the cache when a verified copy is there. */
export async function downloadChartVersion(repo: RepositoryLocation, entry: ChartVersion, ctx: RepoContext): Promise<DownloadedChart> {
  const fileName = `${entry.name}-${entry.version}.tgz`;
  const cachePath = cachedArchiveFile(ctx.paths, entry.digest, fileName);
  const cached = await readVerified(cachePath, entry.digest);
  if (cached !== undefined) {
    return { data: cached, fileName, cachePath, digest: entry.digest, chart: await loadChartFromArchive(cached, fileName) };
  }
  const base = repoBaseUrl(repo.url);
  const firstUrl = entry.urls[0] ?? "";
  let url: URL;
  try {
    url = new URL(firstUrl, base);
  } catch (err) {
    throw new RepoError(`${entry.name} ${entry.version}: bad archive URL ${JSON.stringify(firstUrl)} in the index`, { cause: err });
  }
  const data = await fetchBytes(parseHttpUrl(url.toString(), `${entry.name} ${entry.version}`), {
    credentials: repo.credentials,
    credentialsOrigin: base.origin,
    maxBytes: DEFAULT_ARCHIVE_LIMITS.maxTotalBytes,
  });
  const digest = sha256Hex(data);
  if (digest !== entry.digest) {
    throw new RepoError(
      `${displayUrl(url)}: digest mismatch: the index says sha256:${entry.digest}, the download is sha256:${digest}; refusing the archive`,
    );
  }
  const chart = await loadChartFromArchive(data, displayUrl(url));
  if (chart.metadata.name !== entry.name || chart.metadata.version !== entry.version) {
    throw new RepoError(
      `${displayUrl(url)}: the archive holds ${chart.metadata.name} ${chart.metadata.version}, but the index lists it as ${entry.name} ${entry.version}`,
    );
  }
  await writeFileAtomic(cachePath, data);
  return { data, fileName, cachePath, digest, chart };
}

export interface UrlDownloadOptions extends RepoContext {
  credentials?: Credentials;
  /** When the URL belongs to a repository whose index lists it, the digest to check. */
  expectedDigest?: string;
}

/** A chart archive by URL (https://…/mychart-1.0.0.tgz). */
export async function downloadChartUrl(rawUrl: string, options: UrlDownloadOptions): Promise<DownloadedChart> {
  const url = parseHttpUrl(rawUrl, "chart URL");
  const data = await fetchBytes(url, { credentials: options.credentials, credentialsOrigin: url.origin, maxBytes: DEFAULT_ARCHIVE_LIMITS.maxTotalBytes });
  const digest = sha256Hex(data);
  if (options.expectedDigest !== undefined && digest !== options.expectedDigest) {
    throw new RepoError(`${displayUrl(url)}: digest mismatch: the index says sha256:${options.expectedDigest}, the download is sha256:${digest}; refusing the archive`);
  }
  const chart = await loadChartFromArchive(data, displayUrl(url));
  const fileName = `${chart.metadata.name}-${chart.metadata.version}.tgz`;
  const cachePath = cachedArchiveFile(options.paths, digest, fileName);
  await writeFileAtomic(cachePath, data);
  return { data, fileName, cachePath, digest, chart };
}

async function readVerified(file: string, digest: string): Promise<Buffer | undefined> {
  const data = await readFile(file).catch(() => undefined);
  return data !== undefined && sha256Hex(data) === digest ? data : undefined;
}

export function archiveFileName(chart: Chart): string {
  return path.basename(`${chart.metadata.name}-${chart.metadata.version}.tgz`);
}
