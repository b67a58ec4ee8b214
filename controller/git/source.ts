// The GitSource over simple-git: mirrors (mirror.ts), trees (trees.ts), revert (revert.ts) and
// following (follow.ts) composed behind the interface in types.ts.
import path from "node:path";
import type { Clock } from "../../core/clock.js";
import { GitError } from "../../core/errors.js";
import { Follower } from "./follow.js";
import { assertUrl, MirrorStore, remember, type FetchEvent, type RefMove } from "./mirror.js";
import { revertAndPublish } from "./revert.js";
import { scrubCredentials, toGitError, type CredentialLookup } from "./run.js";
import { TreeCache } from "./trees.js";
import type { CommitInfo, GitSource, RepoChange } from "./types.js";
import { normalizeRepoUrl, redactRepoUrl } from "./url.js";

export interface GitLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface GitSourceOptions {
  /** Holds mirrors/, trees/ and work/; safe to keep across restarts. */
  cacheDir: string;
  clock: Clock;
  logger?: GitLogger;
  credentials?: CredentialLookup;
  /** Cap on materialised trees (default 512 MiB). */
  maxTreeBytes?: number;
  /** A tree used this recently is never evicted, a render may still read it (default 60 s). */
  treeGraceMs?: number;
  /** Watch local repositories with chokidar while followed (default true). */
  watchLocal?: boolean;
  /**
   * A resolve reuses a fetch that started this recently (default 0: every resolve fetches).
   * Change hints that do not come from a fetch (webhooks, hosted pushes) call invalidate.
   */
  resolveMaxAgeMs?: number;
  /** Called after every fetch, for metrics. */
  onFetch?: (event: FetchEvent) => void;
}

/** Branch, tag, sha or full ref: no options, no `..` ranges, no control characters. */
const REVISION = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/+@-]+$/;
const HEXISH = /^[0-9a-f]{4,64}$/;
const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const RS = "\x1e";
const US = "\x1f";
const LOG_FORMAT = `--format=%H${US}%an <%ae>${US}%aI${US}%B${RS}`;

/** The simple-git source, plus a direct fetch and a way to await a local watch being live. */
export interface SimpleGitSourceApi extends GitSource {
  fetch(repoURL: string): Promise<void>;
  whenWatching(repoURL: string): Promise<void>;
}

export function createGitSource(options: GitSourceOptions): SimpleGitSourceApi {
  return new SimpleGitSource(options);
}

class SimpleGitSource implements SimpleGitSourceApi {
  private readonly listeners = new Set<(change: RepoChange) => void>();
  private readonly mirrors: MirrorStore;
  private readonly trees: TreeCache;
  private readonly follower: Follower;
  /** Why the next fetch of a repository runs, so the change it finds is labelled right. */
  private readonly fetchReason = new Map<string, RepoChange["via"]>();
  private readonly commits = new Map<string, CommitInfo>();

  constructor(private readonly options: GitSourceOptions) {
    this.mirrors = new MirrorStore({
      cacheDir: options.cacheDir,
      credentials: options.credentials,
      now: () => options.clock.now(),
      onFetch: options.onFetch,
      onRefsMoved: (repoURL, moves) => this.emitMoves(repoURL, moves),
    });
    this.trees = new TreeCache({
      cacheDir: options.cacheDir,
      clock: options.clock,
      maxBytes: options.maxTreeBytes,
      graceMs: options.treeGraceMs,
      warn: (m) => options.logger?.warn(m),
    });
    this.follower = new Follower({
      clock: options.clock,
      watchLocal: options.watchLocal,
      refresh: (repoURL, via) => this.refresh(repoURL, via),
    });
  }

  /** Fetches now (shared with concurrent callers); emits a change for every ref that moved. */
  fetch(repoURL: string): Promise<void> {
    return this.mirrors.fetch(repoURL);
  }

  invalidate(repoURL: string): void {
    this.mirrors.invalidate(repoURL);
  }

  whenWatching(repoURL: string): Promise<void> {
    return this.follower.whenWatching(repoURL);
  }

  async resolve(repoURL: string, targetRevision: string): Promise<CommitInfo> {
    const revision = targetRevision.trim() || "HEAD";
    assertRevision(repoURL, revision);
    if (!(FULL_SHA.test(revision) && (await this.mirrors.hasCommit(repoURL, revision)))) {
      await this.mirrors.fetchIfStale(repoURL, this.options.resolveMaxAgeMs ?? 0);
    }
    const sha = await this.revParse(repoURL, revision);
    return this.commitInfo(repoURL, sha);
  }

  async checkout(repoURL: string, commit: string): Promise<string> {
    const sha = await this.ensureCommit(repoURL, commit);
    return this.trees.checkout(this.mirrors.dir(repoURL), sha, this.mirrors.env(repoURL));
  }

  async log(repoURL: string, commit: string, options: { max?: number } = {}): Promise<CommitInfo[]> {
    const sha = await this.ensureCommit(repoURL, commit);
    const max = Math.max(1, Math.floor(options.max ?? 50));
    const out = await this.mirrors.git(repoURL).raw(["log", `-n${max}`, LOG_FORMAT, sha, "--"]);
    return parseLog(out);
  }

  async revert(repoURL: string, options: { commit: string; branch: string; author?: string }): Promise<CommitInfo> {
    assertRevision(repoURL, options.branch);
    const commit = await this.ensureCommit(repoURL, options.commit, { refetch: true });
    const attempt = async (): Promise<string> =>
      revertAndPublish({
        repoURL,
        mirrorDir: this.mirrors.dir(repoURL),
        workRoot: path.join(this.options.cacheDir, "work"),
        commit,
        branch: options.branch,
        author: options.author,
        env: this.mirrors.env(repoURL),
      });
    let sha: string;
    try {
      sha = await attempt();
    } catch (err) {
      // The branch moved between our fetch and our push: refresh once and redo it on top.
      if (!(err instanceof GitError && err.reason === "conflict" && /moved meanwhile/.test(err.message))) throw err;
      await this.mirrors.fetch(repoURL);
      sha = await attempt();
    }
    this.options.logger?.info(`reverted ${commit} on ${options.branch} in ${redactRepoUrl(repoURL)} as ${sha}`);
    await this.refresh(repoURL, "poll");
    return this.commitInfo(repoURL, sha);
  }

  onChange(listener: (change: RepoChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  follow(repoURL: string, options: { pollIntervalMs: number }): void {
    assertUrl(repoURL);
    this.follower.follow(repoURL, options);
  }

  unfollow(repoURL: string): void {
    void this.follower.unfollow(repoURL);
  }

  async close(): Promise<void> {
    await this.follower.close();
    this.listeners.clear();
  }

  private async refresh(repoURL: string, via: RepoChange["via"]): Promise<void> {
    const key = normalizeRepoUrl(repoURL);
    if (!this.fetchReason.has(key)) this.fetchReason.set(key, via);
    try {
      await this.mirrors.fetch(repoURL);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.options.logger?.warn(`${via}: ${scrubCredentials(message)}`);
    }
  }

  private emitMoves(repoURL: string, moves: RefMove[]): void {
    const key = normalizeRepoUrl(repoURL);
    const via = this.fetchReason.get(key) ?? "poll";
    this.fetchReason.delete(key);
    for (const move of moves) {
      const ref = move.ref.replace(/^refs\/(heads|tags)\//, "");
      for (const listener of [...this.listeners]) {
        try {
          listener({ repoURL: key, ref, via });
        } catch (err) {
          this.options.logger?.error(`change listener failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  }

  /** The full sha of `commit`, fetching once when the mirror does not have it yet. */
  private async ensureCommit(repoURL: string, commit: string, options: { refetch?: boolean } = {}): Promise<string> {
    assertRevision(repoURL, commit);
    if (options.refetch || !(await this.mirrors.hasCommit(repoURL, commit))) await this.mirrors.fetch(repoURL);
    return this.revParse(repoURL, commit);
  }

  private async revParse(repoURL: string, revision: string): Promise<string> {
    const git = this.mirrors.git(repoURL);
    if (revision === "HEAD") return this.remoteHead(repoURL);
    // A full sha of a commit the mirror holds (a sync pins one) names itself.
    if (FULL_SHA.test(revision) && (await this.mirrors.hasCommit(repoURL, revision))) return revision;
    const candidates = revision.startsWith("refs/")
      ? [revision]
      : [`refs/heads/${revision}`, `refs/tags/${revision}`, ...(HEXISH.test(revision) ? [revision] : [])];
    // A branch or tag as of the last fetch, without a git process (refs/heads wins, as below).
    const known = this.mirrors.knownRefs(repoURL);
    const hit = known && candidates.map((c) => known.get(c)).find((sha) => sha !== undefined);
    if (hit) return hit;
    for (const candidate of candidates) {
      const out = await git.raw(["rev-parse", "--verify", "--quiet", "--end-of-options", `${candidate}^{commit}`]).catch(() => "");
      const sha = out.trim();
      if (FULL_SHA.test(sha)) return sha;
    }
    const repo = redactRepoUrl(repoURL);
    throw new GitError(`unknown revision ${JSON.stringify(revision)} in ${repo}: no such branch, tag or commit`, {
      reason: "unknown-revision",
      repoURL: repo,
      revision,
    });
  }

  /** What HEAD points to on the remote (its default branch), fetched objects being in the mirror. */
  private async remoteHead(repoURL: string): Promise<string> {
    const out = await this.mirrors
      .git(repoURL)
      .raw(["ls-remote", "--end-of-options", repoURL, "HEAD"])
      .catch((err: unknown) => {
        throw toGitError(err, { repoURL, revision: "HEAD", action: "ls-remote" });
      });
    const sha = out.split("\t")[0]?.trim() ?? "";
    if (!FULL_SHA.test(sha)) {
      const repo = redactRepoUrl(repoURL);
      throw new GitError(`unknown revision "HEAD" in ${repo}: the repository has no default branch`, {
        reason: "unknown-revision",
        repoURL: repo,
        revision: "HEAD",
      });
    }
    return sha;
  }

  private async commitInfo(repoURL: string, sha: string): Promise<CommitInfo> {
    // Commits never change: one `git log` per commit, not per resolve.
    const cached = this.commits.get(sha);
    if (cached) return cached;
    const out = await this.mirrors.git(repoURL).raw(["log", "-n1", LOG_FORMAT, sha, "--"]);
    const [info] = parseLog(out);
    if (!info) throw new GitError(`cannot read commit ${sha} in ${redactRepoUrl(repoURL)}`, { reason: "failed", repoURL, revision: sha });
    remember(this.commits, sha, info);
    return info;
  }
}

function assertRevision(repoURL: string, revision: string): void {
  assertUrl(repoURL);
  if (!REVISION.test(revision)) {
    const repo = redactRepoUrl(repoURL);
    throw new GitError(`invalid revision ${JSON.stringify(revision)} for ${repo}: expected a branch, tag or commit`, {
      reason: "invalid",
      repoURL: repo,
      revision,
    });
  }
}

export function parseLog(out: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const record of out.split(RS)) {
    const [sha, author, time, ...message] = record.replace(/^\n+/, "").split(US);
    if (!sha || !FULL_SHA.test(sha.trim())) continue;
    commits.push({ sha: sha.trim(), author: author ?? "", time: time ?? "", message: message.join(US).trim() });
  }
  return commits;
}
