// The cached index of each added repository: NAME-index.yaml as served (what Helm keeps too)
// and, beside it, NAME-index.json holding the same document already parsed. Parsing a large
// index.yaml takes hundreds of milliseconds with a YAML parser and a few with JSON.parse, and
// `search` / `pull` read the cache on every run. The JSON is trusted only when it records the
// sha256 of the YAML bytes beside it; anything else falls back to the YAML. Both go through
// the same shape checks.
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { NotFoundError, RepoError } from "../core/errors.js";
import { isErrnoException, writeFileAtomic } from "./fsutil.js";
import { indexFromDocument, parseIndex, type IndexFile } from "./indexFile.js";
import { cachedIndexFile, type RepoPaths } from "./paths.js";

interface ParsedIndexCache {
  sha256: string;
  document: unknown;
}

function jsonCacheFile(paths: RepoPaths, name: string): string {
  return cachedIndexFile(paths, name).replace(/\.yaml$/, ".json");
}

function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Writes the YAML first: a crash between the two writes leaves a JSON whose hash no longer matches. */
export async function writeCachedIndex(paths: RepoPaths, name: string, fetched: { data: Buffer; document: unknown }): Promise<void> {
  await writeFileAtomic(cachedIndexFile(paths, name), fetched.data);
  const cache: ParsedIndexCache = { sha256: sha256(fetched.data), document: fetched.document };
  await writeFileAtomic(jsonCacheFile(paths, name), JSON.stringify(cache));
}

export async function readCachedIndex(paths: RepoPaths, name: string): Promise<IndexFile> {
  const file = cachedIndexFile(paths, name);
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    if (isErrnoException(err) && err.code === "ENOENT") {
      throw new NotFoundError(`no cached index for repository ${JSON.stringify(name)}`, { hint: "run berth repo update" });
    }
    throw new RepoError(`${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const parsed = await readParsedCache(jsonCacheFile(paths, name));
  if (parsed !== undefined && parsed.sha256 === sha256(data)) return indexFromDocument(parsed.document, file);
  return parseIndex(data.toString("utf8"), file);
}

async function readParsedCache(file: string): Promise<ParsedIndexCache | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, "utf8"));
    if (typeof value === "object" && value !== null && "sha256" in value && typeof value.sha256 === "string" && "document" in value) {
      return { sha256: value.sha256, document: value.document };
    }
  } catch {
    // Missing or unreadable: the YAML beside it is the source of truth.
  }
  return undefined;
}

export async function removeCachedIndex(paths: RepoPaths, name: string): Promise<void> {
  await rm(cachedIndexFile(paths, name), { force: true });
  await rm(jsonCacheFile(paths, name), { force: true });
}
