// Reads a chart archive (.tgz) in memory, treating it as hostile until proven otherwise:
// no path may leave the chart, only regular files and folders are accepted, every file is
// size-capped and so is the whole archive. Sizes are counted while decompressing, so a gzip
// bomb is stopped after a bounded amount of work and memory.
import { createGunzip } from "node:zlib";
import { Parser, type ReadEntry } from "tar";
import { ArchiveError } from "../../core/errors.js";
import type { ChartFile } from "../model.js";
import { checkEntryPath, formatBytes } from "./archivePaths.js";

export interface ArchiveLimits {
  /** Largest single file, default 5 MiB. */
  maxFileBytes: number;
  /** Largest sum of file sizes, default 50 MiB. */
  maxTotalBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxFileBytes: 5 * 1024 * 1024, maxTotalBytes: 50 * 1024 * 1024 };

export interface ArchiveContents {
  /** The one top-level folder every entry lives under (usually the chart name). */
  root: string;
  /** Files relative to `root`, in archive order. */
  files: ChartFile[];
}

export interface ReadArchiveOptions {
  /** Names the archive in messages, e.g. "mychart-0.1.0.tgz". */
  source: string;
  limits?: Partial<ArchiveLimits>;
  /**
   * Content bytes already read from enclosing archives (a subchart .tgz inside a chart
   * .tgz): nesting must not multiply the total limit. Default 0.
   */
  usedBytes?: number;
}

const FILE_TYPES = new Set(["File", "OldFile", "ContiguousFile"]);
const LINK_TYPES = new Set(["SymbolicLink", "Link"]);
const SPECIAL_TYPES = new Set(["CharacterDevice", "BlockDevice", "FIFO"]);
// Headers and padding are at most one 512-byte block per entry plus one per file; twice the
// content limit bounds inflation even for an archive of many tiny files.
const INFLATE_FACTOR = 2;

export async function readChartArchive(data: Buffer, options: ReadArchiveOptions): Promise<ArchiveContents> {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  const { source } = options;
  if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b) {
    throw new ArchiveError(`${source}: not a gzip-compressed tar archive`);
  }
  const entries = await parseEntries(data, { source, limits, usedBytes: options.usedBytes ?? 0 });
  return singleRoot(entries, source);
}

interface RawEntry {
  segments: string[];
  entryPath: string;
  isDir: boolean;
  data: Buffer;
}

function parseEntries(data: Buffer, options: { source: string; limits: ArchiveLimits; usedBytes: number }): Promise<RawEntry[]> {
  const { source, limits } = options;
  return new Promise((resolve, reject) => {
    const entries: RawEntry[] = [];
    const seen = new Set<string>();
    const gunzip = createGunzip();
    // brotli / zstd sniffing is off; a nested gzip stream is refused below.
    const parser = new Parser({ strict: true, brotli: false, zstd: false });
    let failed = false;
    let inflated = 0;
    let total = options.usedBytes;
    const fail = (err: ArchiveError): void => {
      if (failed) return;
      failed = true;
      gunzip.destroy();
      reject(err);
    };
    const entryError = (entryPath: string, problem: string) => new ArchiveError(`${source}: entry ${JSON.stringify(entryPath)}: ${problem}`);

    parser.on("entry", (entry: ReadEntry) => {
      if (failed) return entry.resume();
      const problem = entryProblem(entry, limits, total);
      if (problem) return fail(entryError(entry.path, problem));
      const check = checkEntryPath(entry.path);
      // "./" heads archives made with `tar -C chart .`; it names no file, so it is no problem.
      if (!check.ok && entry.type === "Directory" && check.problem === "empty path") return entry.resume();
      if (!check.ok) return fail(entryError(entry.path, check.problem));
      const key = check.segments.join("/");
      if (seen.has(key)) return fail(entryError(entry.path, "duplicate entry"));
      seen.add(key);
      const isDir = entry.type === "Directory";
      total += isDir ? 0 : entry.size;
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => entries.push({ segments: check.segments, entryPath: entry.path, isDir, data: Buffer.concat(chunks) }));
    });
    parser.on("error", (err: Error) => {
      const what = seen.size === 0 && err.message.includes("TAR_BAD_ARCHIVE") ? "archive is empty or not a tar archive" : `corrupt tar data: ${err.message}`;
      fail(new ArchiveError(`${source}: ${what}`, { cause: err }));
    });
    parser.on("end", () => {
      if (!failed) resolve(entries);
    });
    gunzip.on("data", (chunk: Buffer) => {
      if (failed) return;
      if (inflated === 0 && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
        return fail(new ArchiveError(`${source}: nested compression is not supported (expected a tar stream inside the gzip)`));
      }
      inflated += chunk.length;
      if (inflated > limits.maxTotalBytes * INFLATE_FACTOR) {
        return fail(new ArchiveError(`${source}: archive is larger than ${formatBytes(limits.maxTotalBytes)} when uncompressed`));
      }
      parser.write(chunk);
    });
    gunzip.on("end", () => {
      if (!failed) parser.end();
    });
    gunzip.on("error", (err: Error) => fail(new ArchiveError(`${source}: corrupt gzip data: ${err.message}`, { cause: err })));
    gunzip.end(data);
  });
}

/** Checks an entry's type and declared size before its body is read. */
function entryProblem(entry: ReadEntry, limits: ArchiveLimits, totalSoFar: number): string | undefined {
  const type = entry.type;
  if (LINK_TYPES.has(type)) return `links are not allowed (${type === "Link" ? "hard link" : "symlink"} to ${JSON.stringify(entry.linkpath ?? "")})`;
  if (SPECIAL_TYPES.has(type)) return `special files are not allowed (${type})`;
  if (type === "Directory") return undefined;
  if (!FILE_TYPES.has(type)) return `unsupported entry type ${type}`;
  if (entry.size > limits.maxFileBytes) return `file is ${entry.size} bytes, over the ${formatBytes(limits.maxFileBytes)} limit per file`;
  if (totalSoFar + entry.size > limits.maxTotalBytes) return `archive content exceeds the ${formatBytes(limits.maxTotalBytes)} limit`;
  return undefined;
}

function singleRoot(entries: RawEntry[], source: string): ArchiveContents {
  const first = entries[0];
  if (!first) throw new ArchiveError(`${source}: archive is empty`);
  const root = first.segments[0];
  const files: ChartFile[] = [];
  for (const entry of entries) {
    if (entry.segments.length === 1 && !entry.isDir) {
      throw new ArchiveError(`${source}: entry ${JSON.stringify(entry.entryPath)}: file is not inside a top-level chart folder`);
    }
    if (entry.segments[0] !== root) {
      throw new ArchiveError(
        `${source}: entry ${JSON.stringify(entry.entryPath)}: outside the top-level folder "${root}/" (an archive must hold one chart folder)`,
      );
    }
    if (!entry.isDir) files.push({ path: entry.segments.slice(1).join("/"), data: entry.data });
  }
  return { root, files };
}
