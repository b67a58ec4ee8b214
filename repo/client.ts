// The repository client: `repo add / update / remove / list` and the cached indexes the rest
// of berth reads. An index is fetched and validated completely before anything is written;
// the cache file is then replaced atomically, so a failed update leaves the old one intact.
import { NotFoundError, RepoError, UsageError } from "../core/errors.js";
import { fetchBytes, parseHttpUrl, displayUrl, type Credentials } from "./http.js";
import { indexFromDocument, parseIndexDocument, type IndexFile } from "./indexFile.js";
import { readCachedIndex, removeCachedIndex, writeCachedIndex } from "./indexCache.js";
import type { RepoPaths } from "./paths.js";
import { credentialsOf, loadRepositories, REPO_NAME, saveRepositories, type RepositoryEntry } from "./repositories.js";

/** Large public repositories' indexes run to tens of MiB; this bounds a hostile one. */
export const MAX_INDEX_BYTES = 128 * 1024 * 1024;

export interface RepoContext {
  paths: RepoPaths;
}

export interface FetchedIndex {
  index: IndexFile;
  /** The bytes as served, cached verbatim. */
  data: Buffer;
  /** The parsed YAML, cached beside the bytes so searches need not parse YAML again. */
  document: unknown;
}

/** The folder URL with one trailing slash, so relative chart URLs resolve inside it. */
export function repoBaseUrl(url: string): URL {
  const parsed = parseHttpUrl(url, "repository URL");
  if (!parsed.pathname.endsWith("/")) parsed.pathname += "/";
  return parsed;
}

export async function fetchIndex(repoUrl: string, credentials?: Credentials): Promise<FetchedIndex> {
  const base = repoBaseUrl(repoUrl);
  const indexUrl = new URL("index.yaml", base);
  const data = await fetchBytes(indexUrl, { credentials, credentialsOrigin: base.origin, maxBytes: MAX_INDEX_BYTES });
  const document = parseIndexDocument(data.toString("utf8"), displayUrl(indexUrl));
  return { index: indexFromDocument(document, displayUrl(indexUrl)), data, document };
}

export type AddResult = "added" | "unchanged" | "replaced";

export interface AddOptions extends RepoContext {
  /** Replace an existing repository of the same name with a different configuration. */
  forceUpdate?: boolean;
}

export async function addRepository(entry: RepositoryEntry, options: AddOptions): Promise<AddResult> {
  if (!REPO_NAME.test(entry.name)) {
    throw new UsageError(`repo add: invalid repository name ${JSON.stringify(entry.name)} (letters, digits, '.', '_' and '-'; no '/')`);
  }
  repoBaseUrl(entry.url);
  const file = await loadRepositories(options.paths);
  const existing = file.repositories.find((r) => r.name === entry.name);
  if (existing && !options.forceUpdate) {
    if (sameEntry(existing, entry)) return "unchanged";
    throw new RepoError(`repository name (${entry.name}) already exists with another configuration`, { hint: "use --force-update to replace it" });
  }
  const fetched = await fetchIndex(entry.url, credentialsOf(entry));
  await writeCachedIndex(options.paths, entry.name, fetched);
  const others = file.repositories.filter((r) => r.name !== entry.name);
  await saveRepositories(options.paths, { ...file, repositories: [...others, entry] });
  return existing ? "replaced" : "added";
}

function sameEntry(a: RepositoryEntry, b: RepositoryEntry): boolean {
  return a.url === b.url && a.username === b.username && a.password === b.password;
}

export async function removeRepository(name: string, options: RepoContext): Promise<void> {
  const file = await loadRepositories(options.paths);
  if (!file.repositories.some((r) => r.name === name)) throw new NotFoundError(`no repository named ${JSON.stringify(name)} found`);
  await saveRepositories(options.paths, { ...file, repositories: file.repositories.filter((r) => r.name !== name) });
  await removeCachedIndex(options.paths, name);
}

export interface UpdateResult {
  name: string;
  error?: string;
}

/**
 * Refreshes the named repositories (all when none is named). Each repository succeeds or fails
 * on its own; a failed one keeps its previous cached index and is reported in its result.
 */
export async function updateRepositories(names: readonly string[], options: RepoContext): Promise<UpdateResult[]> {
  const configured = (await loadRepositories(options.paths)).repositories;
  for (const name of names) {
    if (!configured.some((r) => r.name === name)) throw new NotFoundError(`no repository named ${JSON.stringify(name)} found`, { hint: "see berth repo list" });
  }
  const selected = names.length === 0 ? configured : configured.filter((r) => names.includes(r.name));
  if (selected.length === 0) throw new RepoError("no repositories found; add one with berth repo add");
  const results = await Promise.all(
    selected.map(async (repo): Promise<UpdateResult> => {
      try {
        const fetched = await fetchIndex(repo.url, credentialsOf(repo));
        await writeCachedIndex(options.paths, repo.name, fetched);
        return { name: repo.name };
      } catch (err) {
        if (!(err instanceof RepoError)) throw err;
        return { name: repo.name, error: err.message };
      }
    }),
  );
  return results;
}

export async function findRepository(name: string, options: RepoContext): Promise<RepositoryEntry> {
  const repo = (await loadRepositories(options.paths)).repositories.find((r) => r.name === name);
  if (repo === undefined) throw new NotFoundError(`repository ${JSON.stringify(name)} not found`, { hint: "add it with berth repo add NAME URL" });
  return repo;
}

export async function loadCachedIndex(name: string, options: RepoContext): Promise<IndexFile> {
  return readCachedIndex(options.paths, name);
}
