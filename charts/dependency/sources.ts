// Where each Chart.yaml dependency comes from, decided as Helm's resolveRepoNames does:
//   ""                       the subchart is already in charts/NAME (nothing to fetch)
//   file://PATH              a chart folder, relative to the chart (packaged into charts/)
//   @NAME / alias:NAME       a configured repository, by name
//   http(s)://URL            a configured repository with that URL, else the URL itself
// `@NAME` and `alias:NAME` are rewritten to the repository's URL, which is what Chart.lock
// records and what the lock digest covers.
import { stat } from "node:fs/promises";
import path from "node:path";
import { ChartError, RepoError } from "../../core/errors.js";
import { fetchIndex, loadCachedIndex, updateRepositories } from "../../repo/client.js";
import type { Credentials } from "../../repo/http.js";
import type { IndexFile } from "../../repo/indexFile.js";
import type { RepoPaths } from "../../repo/paths.js";
import { credentialsOf, loadRepositories, sameUrl, type RepositoryEntry } from "../../repo/repositories.js";
import type { ChartDependency } from "../model.js";

export type DependencySource =
  | { kind: "bundled" }
  | { kind: "file"; dir: string }
  | { kind: "repository"; url: string; repoName?: string; credentials?: Credentials };

export interface PlannedDependency {
  /** As written in Chart.yaml. */
  entry: ChartDependency;
  /** With the repository name rewritten to its URL: what the lock records and hashes. */
  requested: ChartDependency;
  source: DependencySource;
  /** "Chart.yaml: dependencies[0] (name)", for messages. */
  label: string;
}

export interface SourceContext {
  chartDir: string;
  paths: RepoPaths;
}

export async function planDependencies(deps: readonly ChartDependency[], ctx: SourceContext): Promise<PlannedDependency[]> {
  const repositories = (await loadRepositories(ctx.paths)).repositories;
  const planned: PlannedDependency[] = [];
  for (const [i, entry] of deps.entries()) {
    const label = `${path.join(ctx.chartDir, "Chart.yaml")}: dependencies[${i}] (${entry.name})`;
    planned.push(await planOne(entry, { ...ctx, label, repositories }));
  }
  return planned;
}

async function planOne(entry: ChartDependency, ctx: SourceContext & { label: string; repositories: RepositoryEntry[] }): Promise<PlannedDependency> {
  const repository = entry.repository ?? "";
  const { label } = ctx;
  const base = { entry, label };
  if (repository === "") {
    const dir = path.join(ctx.chartDir, "charts", entry.name);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
      throw new ChartError(`${label}: no repository given and ${dir} is not a folder`, { hint: "set repository to a URL, @REPO or file://PATH" });
    }
    return { ...base, requested: entry, source: { kind: "bundled" } };
  }
  if (repository.startsWith("file://")) {
    const rel = repository.slice("file://".length);
    const dir = path.isAbsolute(rel) ? rel : path.join(ctx.chartDir, rel);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new ChartError(`${label}: repository ${repository}: folder ${dir} not found`);
    return { ...base, requested: entry, source: { kind: "file", dir } };
  }
  const byName = /^(?:@|alias:)(.+)$/.exec(repository)?.[1];
  if (byName !== undefined) {
    const repo = ctx.repositories.find((r) => r.name === byName);
    if (repo === undefined) {
      throw new RepoError(`${label}: repository ${repository}: no repository named ${JSON.stringify(byName)}`, { hint: "add it with berth repo add NAME URL" });
    }
    return { ...base, requested: { ...entry, repository: repo.url }, source: repositorySource(repo) };
  }
  if (!/^https?:\/\//i.test(repository)) {
    throw new RepoError(`${label}: repository ${JSON.stringify(repository)}: expected an http(s) URL, @REPO, alias:REPO or file://PATH`);
  }
  const repo = ctx.repositories.find((r) => sameUrl(r.url, repository));
  return { ...base, requested: entry, source: repo ? repositorySource(repo) : { kind: "repository", url: repository } };
}

function repositorySource(repo: RepositoryEntry): DependencySource {
  return { kind: "repository", url: repo.url, repoName: repo.name, credentials: credentialsOf(repo) };
}

export interface IndexLoaderOptions {
  paths: RepoPaths;
  /** Use the cached indexes as they are instead of refreshing the repositories first. */
  skipRefresh?: boolean;
}

/**
 * The indexes of the repositories the dependencies use, each loaded once: configured
 * repositories from their cache (refreshed first, like `helm dependency update`), other URLs
 * fetched into memory only.
 */
export class IndexLoader {
  private readonly loaded = new Map<string, Promise<IndexFile>>();

  constructor(private readonly options: IndexLoaderOptions) {}

  index(source: Extract<DependencySource, { kind: "repository" }>): Promise<IndexFile> {
    const key = source.repoName ?? `url:${source.url}`;
    let pending = this.loaded.get(key);
    if (pending === undefined) {
      pending = this.load(source);
      this.loaded.set(key, pending);
    }
    return pending;
  }

  private async load(source: Extract<DependencySource, { kind: "repository" }>): Promise<IndexFile> {
    if (source.repoName === undefined) return (await fetchIndex(source.url, source.credentials)).index;
    if (!this.options.skipRefresh) {
      const [result] = await updateRepositories([source.repoName], { paths: this.options.paths });
      if (result?.error !== undefined) throw new RepoError(`repository ${JSON.stringify(source.repoName)}: ${result.error}`);
    }
    return loadCachedIndex(source.repoName, { paths: this.options.paths });
  }
}
