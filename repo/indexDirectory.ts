// `berth repo index DIR`: an index.yaml for the chart archives in DIR and its direct
// subfolders (as Helm), each archive read with the hostile-archive rules.
//
// `created` must not change when nothing did, so the index is deterministic except
// `generated`: a version whose archive is unchanged keeps the `created` of the merged index;
// otherwise it is the archive file's modification time (when the package was written).
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { NotFoundError, RepoError } from "../core/errors.js";
import { loadChartFromArchive } from "../charts/loader/index.js";
import { indexEntryFields } from "./chartEntry.js";
import { writeFileAtomic } from "./fsutil.js";
import { parseIndex, serializeIndex, sortVersions, type ChartVersion, type IndexFile } from "./indexFile.js";

export interface IndexDirectoryOptions {
  /** Base URL prefixed to each archive's path; default: paths relative to the index. */
  url?: string;
  /** An existing index whose entries are kept (and whose `created` times are reused). */
  merge?: string;
  /** `generated` time; default now. */
  now?: Date;
}

export async function indexDirectory(dir: string, options: IndexDirectoryOptions = {}): Promise<IndexFile> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new NotFoundError(`repo index: ${dir} is not a folder`);
  const merged = options.merge === undefined ? undefined : await readMergeIndex(options.merge);
  const entries = new Map<string, ChartVersion[]>();
  for (const rel of await findArchives(dir)) {
    const version = await archiveEntry(dir, rel, { url: options.url, merged });
    const list = entries.get(version.name) ?? [];
    // Two archives of one chart version: the first path (sorted) wins, so output is stable.
    if (!list.some((v) => v.version === version.version)) entries.set(version.name, [...list, version]);
  }
  for (const [name, versions] of merged?.entries ?? []) {
    const list = entries.get(name) ?? [];
    entries.set(name, [...list, ...versions.filter((v) => !list.some((own) => own.version === v.version))]);
  }
  for (const list of entries.values()) sortVersions(list);
  return { apiVersion: "v1", generated: (options.now ?? new Date()).toISOString(), entries, extra: merged?.extra ?? {} };
}

export async function writeIndexDirectory(dir: string, options: IndexDirectoryOptions = {}): Promise<{ path: string; index: IndexFile }> {
  const index = await indexDirectory(dir, options);
  const target = path.join(dir, "index.yaml");
  await writeFileAtomic(target, serializeIndex(index));
  return { path: target, index };
}

async function readMergeIndex(file: string): Promise<IndexFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    // Helm starts from an empty index when the file to merge does not exist yet.
    if (err instanceof Error && "code" in err && err.code === "ENOENT") return undefined;
    throw new RepoError(`--merge ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseIndex(text, file);
}

async function findArchives(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".tgz")) found.push(entry.name);
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    for (const inner of await readdir(path.join(dir, entry.name), { withFileTypes: true })) {
      if (inner.isFile() && inner.name.endsWith(".tgz")) found.push(`${entry.name}/${inner.name}`);
    }
  }
  return found.sort();
}

interface EntryContext {
  url?: string;
  merged?: IndexFile;
}

async function archiveEntry(dir: string, rel: string, ctx: EntryContext): Promise<ChartVersion> {
  const file = path.join(dir, rel);
  const data = await readFile(file);
  const chart = await loadChartFromArchive(data, file);
  const { name, version } = chart.metadata;
  const digest = createHash("sha256").update(data).digest("hex");
  const previous = ctx.merged?.entries.get(name)?.find((v) => v.version === version && v.digest === digest);
  const created = previous?.created ?? (await stat(file)).mtime.toISOString();
  const urls = [ctx.url === undefined ? rel : `${ctx.url.replace(/\/+$/, "")}/${rel}`];
  const fields = indexEntryFields(chart.metadata, { urls, created, digest });
  return {
    name,
    version,
    urls,
    digest,
    created,
    appVersion: chart.metadata.appVersion,
    description: chart.metadata.description,
    keywords: chart.metadata.keywords,
    deprecated: chart.metadata.deprecated,
    fields,
  };
}
