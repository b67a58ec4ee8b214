// Following repositories: a poll per repository on the injected Clock, and for local
// repositories a chokidar watch on the ref files, so a local commit is noticed at once. Both only
// trigger a (coalesced) fetch; the fetch's ref diff decides whether anything is emitted, so a
// touched-but-unchanged ref file or a no-op poll emits nothing.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import type { Clock } from "../../core/clock.js";
import type { RepoChange } from "./types.js";
import { localRepoPath, normalizeRepoUrl } from "./url.js";

export const DEFAULT_POLL_INTERVAL_MS = 3 * 60 * 1000;

export interface FollowerOptions {
  clock: Clock;
  /** Fetches the repository (errors are the callback's to log); resolves when done. */
  refresh: (repoURL: string, via: RepoChange["via"]) => Promise<void>;
  /** Watch local repositories with chokidar (default true). */
  watchLocal?: boolean;
}

interface Followed {
  repoURL: string;
  intervalMs: number;
  cancelTimer?: () => void;
  watcher?: FSWatcher;
  /** Resolves once the watcher has scanned (immediately when nothing is watched). */
  ready: Promise<void>;
  stopped: boolean;
}

export class Follower {
  private readonly followed = new Map<string, Followed>();

  constructor(private readonly options: FollowerOptions) {}

  follow(repoURL: string, options: { pollIntervalMs?: number } = {}): void {
    const key = normalizeRepoUrl(repoURL);
    const intervalMs = Math.max(1, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    const existing = this.followed.get(key);
    if (existing) {
      if (existing.intervalMs === intervalMs) return;
      existing.intervalMs = intervalMs;
      existing.cancelTimer?.();
      this.schedule(existing);
      return;
    }
    const entry: Followed = { repoURL, intervalMs, stopped: false, ready: Promise.resolve() };
    this.followed.set(key, entry);
    this.schedule(entry);
    if (this.options.watchLocal !== false) {
      const watcher = this.watchLocal(entry);
      if (watcher) {
        entry.watcher = watcher;
        entry.ready = new Promise((resolve) => watcher.once("ready", () => resolve()));
      }
    }
  }

  async unfollow(repoURL: string): Promise<void> {
    const key = normalizeRepoUrl(repoURL);
    const entry = this.followed.get(key);
    if (!entry) return;
    this.followed.delete(key);
    entry.stopped = true;
    entry.cancelTimer?.();
    await entry.watcher?.close();
  }

  /** Resolves when the repository's file watch (if any) is live; for tests and start-up ordering. */
  async whenWatching(repoURL: string): Promise<void> {
    await this.followed.get(normalizeRepoUrl(repoURL))?.ready;
  }

  isFollowed(repoURL: string): boolean {
    return this.followed.has(normalizeRepoUrl(repoURL));
  }

  async close(): Promise<void> {
    await Promise.all([...this.followed.values()].map((e) => this.unfollow(e.repoURL)));
  }

  private schedule(entry: Followed): void {
    entry.cancelTimer = this.options.clock.setTimeout(() => {
      entry.cancelTimer = undefined;
      void this.options.refresh(entry.repoURL, "poll").finally(() => {
        // The next poll counts from the end of this one, so slow fetches never pile up.
        if (!entry.stopped && !entry.cancelTimer) this.schedule(entry);
      });
    }, entry.intervalMs);
  }

  private watchLocal(entry: Followed): FSWatcher | undefined {
    const local = localRepoPath(entry.repoURL);
    const gitDir = local === undefined ? undefined : findGitDir(local);
    if (!gitDir) return undefined;
    // One root with a filter: chokidar 4 reports "ready" per root, before nested watches of a
    // multi-root watch are live, so a commit right after "ready" could be missed otherwise.
    const watcher = watch(gitDir, { ignoreInitial: true, ignored: (file) => !isRefFile(gitDir, file) });
    const onEvent = (): void => {
      if (!entry.stopped) void this.options.refresh(entry.repoURL, "watch");
    };
    watcher.on("add", onEvent).on("change", onEvent).on("unlink", onEvent);
    watcher.on("error", () => undefined);
    return watcher;
  }
}

/** HEAD, packed-refs and refs/** of a git directory (lock files come and go on every update). */
function isRefFile(gitDir: string, file: string): boolean {
  const rel = path.relative(gitDir, file).split(path.sep).join("/");
  if (rel === "") return true;
  if (rel.endsWith(".lock")) return false;
  return rel === "HEAD" || rel === "packed-refs" || rel === "refs" || rel.startsWith("refs/");
}

/** The git directory of a local repository: `.git` of a work tree (folder or gitdir file) or a bare repo. */
export function findGitDir(dir: string): string | undefined {
  const dotGit = path.join(dir, ".git");
  if (existsSync(dotGit)) {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const match = /^gitdir:\s*(.+)\s*$/m.exec(readFileSync(dotGit, "utf8"));
    return match ? path.resolve(dir, match[1].trim()) : undefined;
  }
  if (existsSync(path.join(dir, "HEAD")) && existsSync(path.join(dir, "objects"))) return dir;
  return undefined;
}
