// The repositories file (Helm's repositories.yaml): the configured repositories with their
// URLs and credentials. Written atomically with mode 0600 because it holds passwords; read
// and validated as user input.
import { readFile } from "node:fs/promises";
import { stringify } from "yaml";
import { RepoError } from "../core/errors.js";
import { formatYamlProblem, isPlainObject, isYamlProblem, parseYamlText, showValue } from "../charts/loader/yamlDoc.js";
import { isErrnoException, writeFileAtomic } from "./fsutil.js";
import type { Credentials } from "./http.js";
import { repositoriesFile, type RepoPaths } from "./paths.js";

export interface RepositoryEntry {
  name: string;
  url: string;
  username?: string;
  password?: string;
}

export interface RepositoriesFile {
  generated: string;
  repositories: RepositoryEntry[];
}

/** Helm's rule of thumb: a name that is safe as a file name and as the REPO in REPO/CHART. */
export const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function loadRepositories(paths: RepoPaths): Promise<RepositoriesFile> {
  const file = repositoriesFile(paths);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if (isErrnoException(err) && err.code === "ENOENT") return { generated: new Date().toISOString(), repositories: [] };
    throw new RepoError(`${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseRepositories(text, file);
}

export function parseRepositories(text: string, file: string): RepositoriesFile {
  const parsed = parseYamlText(text, file);
  if (isYamlProblem(parsed)) throw new RepoError(formatYamlProblem(parsed));
  const doc = parsed.value ?? {};
  if (!isPlainObject(doc)) throw new RepoError(`${file}: expected a map with "repositories", got ${showValue(doc)}`);
  const list = doc.repositories ?? [];
  if (!Array.isArray(list)) throw new RepoError(`${parsed.where(["repositories"])}: repositories: expected a list, got ${showValue(list)}`);
  const repositories = list.map((item, i): RepositoryEntry => {
    const where = parsed.where(["repositories", i]);
    if (!isPlainObject(item)) throw new RepoError(`${where}: repositories[${i}]: expected a map, got ${showValue(item)}`);
    const field = (key: string): string | undefined => {
      const value = item[key];
      if (value === undefined || value === null || value === "") return undefined;
      if (typeof value !== "string") throw new RepoError(`${where}: repositories[${i}].${key}: expected a string, got ${showValue(value)}`);
      return value;
    };
    const name = field("name");
    const url = field("url");
    if (name === undefined || !REPO_NAME.test(name)) throw new RepoError(`${where}: repositories[${i}].name: expected a repository name, got ${showValue(item.name)}`);
    if (url === undefined) throw new RepoError(`${where}: repositories[${i}].url: missing`);
    return withoutUndefined({ name, url, username: field("username"), password: field("password") });
  });
  return { generated: typeof doc.generated === "string" ? doc.generated : "", repositories };
}

export async function saveRepositories(paths: RepoPaths, file: RepositoriesFile): Promise<void> {
  const doc = {
    apiVersion: "",
    generated: file.generated,
    repositories: file.repositories.map((r) => withoutUndefined({ name: r.name, url: r.url, username: r.username, password: r.password })),
  };
  await writeFileAtomic(repositoriesFile(paths), stringify(doc, { lineWidth: 0, indentSeq: false }), { mode: 0o600 });
}

export function credentialsOf(entry: RepositoryEntry): Credentials | undefined {
  return entry.username === undefined && entry.password === undefined ? undefined : { username: entry.username ?? "", password: entry.password ?? "" };
}

/** Repository URLs compare without a trailing slash, as Helm's urlutil.Equal does. */
export function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
