// Where berth keeps repository state, as Helm does: the repositories file under the user's
// config home and downloaded indexes / archives under the cache home (XDG). BERTH_CONFIG_HOME
// and BERTH_CACHE_HOME name berth's own folders directly, so tests and CI use temp dirs.
import { homedir } from "node:os";
import path from "node:path";

export interface RepoPaths {
  /** berth's config folder; holds repositories.yaml. */
  configHome: string;
  /** berth's cache folder; holds repository/NAME-index.yaml and downloaded archives. */
  cacheHome: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export function repoPaths(env: Environment = process.env): RepoPaths {
  return {
    configHome: env.BERTH_CONFIG_HOME || path.join(env.XDG_CONFIG_HOME || path.join(homedir(), ".config"), "berth"),
    cacheHome: env.BERTH_CACHE_HOME || path.join(env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "berth"),
  };
}

export function repositoriesFile(paths: RepoPaths): string {
  return path.join(paths.configHome, "repositories.yaml");
}

export function repositoryCacheDir(paths: RepoPaths): string {
  return path.join(paths.cacheHome, "repository");
}

/** Helm's name for a cached index: repository/NAME-index.yaml. */
export function cachedIndexFile(paths: RepoPaths, repoName: string): string {
  return path.join(repositoryCacheDir(paths), `${repoName}-index.yaml`);
}

/**
 * Downloaded archives are stored by content: repository/charts/SHA256/FILE.tgz. A cache hit is
 * re-hashed before use, so a damaged or planted file is never trusted.
 */
export function cachedArchiveFile(paths: RepoPaths, digest: string, fileName: string): string {
  return path.join(repositoryCacheDir(paths), "charts", digest, fileName);
}
