// `berth search repo` over every configured repository's cached index.
import { RepoError } from "../core/errors.js";
import { loadCachedIndex, type RepoContext } from "./client.js";
import { loadRepositories } from "./repositories.js";
import { SearchIndex, type SearchOptions, type SearchResult } from "./search.js";

export async function searchRepositories(options: SearchOptions & RepoContext): Promise<SearchResult[]> {
  const repositories = (await loadRepositories(options.paths)).repositories;
  if (repositories.length === 0) throw new RepoError("no repositories configured", { hint: "add one with berth repo add NAME URL" });
  const indexes = await Promise.all(repositories.map(async (r) => ({ repo: r.name, index: await loadCachedIndex(r.name, options) })));
  return new SearchIndex(indexes).search(options);
}
