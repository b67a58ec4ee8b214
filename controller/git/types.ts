// The git side of the GitOps controller, as the sync loop sees it. Implementations: a
// simple-git backed source with a local mirror cache (any URL simple-git can fetch: a path,
// file://, http(s)://, including berth's hosted repositories). Change notifications come from
// three places (polling, chokidar on local repositories, webhooks / hosted pushes) and all end
// up as `RepoChange`s, so the controller treats them alike: a hint to re-resolve, never the
// truth (the truth is what `resolve` returns).

export interface CommitInfo {
  sha: string;
  message: string;
  author: string;
  /** ISO 8601. */
  time: string;
}

export interface RepoChange {
  /** Normalised repository URL (see normalizeRepoUrl). */
  repoURL: string;
  /** Branch or tag that moved, when known; undefined means "anything may have changed". */
  ref?: string;
  /** Where the hint came from, for logs and metrics. */
  via: "poll" | "watch" | "webhook" | "hosted-push";
}

export interface GitSource {
  /** Fetches (at most once per call burst per repository) and resolves a branch, tag or sha. */
  resolve(repoURL: string, targetRevision: string): Promise<CommitInfo>;
  /**
   * A read-only directory holding the tree of `commit` (shared by every app on that repo and
   * commit; callers must not write to it). Cached; evicted least recently used.
   */
  checkout(repoURL: string, commit: string): Promise<string>;
  /** Commits reachable from `commit`, newest first (for history and UIs). */
  log(repoURL: string, commit: string, options?: { max?: number }): Promise<CommitInfo[]>;
  /**
   * Creates a `git revert` commit of `commit` on `branch` in the source repository (local or
   * hosted, pushed when remote) and returns it; git stays the source of truth.
   */
  revert(repoURL: string, options: { commit: string; branch: string; author?: string }): Promise<CommitInfo>;
  /** A change hint from outside (webhook, hosted push): the next resolve of this repository fetches. */
  invalidate(repoURL: string): void;
  /** Subscribes to change hints for every repository in use; returns an unsubscribe function. */
  onChange(listener: (change: RepoChange) => void): () => void;
  /** Starts polling / watching this repository (idempotent); the interval is per repository. */
  follow(repoURL: string, options: { pollIntervalMs: number }): void;
  unfollow(repoURL: string): void;
  close(): Promise<void>;
}
