// One bare mirror per repository under cacheDir/mirrors. Fetches are coalesced per repository:
// callers arriving before a fetch starts share it, callers arriving while one runs share the
// single fetch queued behind it (so nobody is handed a fetch that began before their call, and
// a burst of N resolves costs at most two fetches). Every fetch diffs the refs before and after,
// which is how polling, watching and resolves all learn that a ref moved.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { SimpleGit } from "simple-git";
import { GitError } from "../../core/errors.js";
import { gitEnv, gitIn, toGitError, type CredentialLookup } from "./run.js";
import { normalizeRepoUrl, repoCacheKey } from "./url.js";

export interface RefMove {
  /** Full ref name, e.g. refs/heads/main. */
  ref: string;
  from?: string;
  to?: string;
}

export interface FetchEvent {
  repoURL: string;
  durationMs: number;
  ok: boolean;
}

export interface MirrorStoreOptions {
  cacheDir: string;
  credentials?: CredentialLookup;
  /** At most this many fetches run at once across all repositories (default 8). */
  maxConcurrentFetches?: number;
  /** Time for fetch freshness (default performance.now); the source passes its Clock. */
  now?: () => number;
  /** Called after every fetch (for metrics). */
  onFetch?: (event: FetchEvent) => void;
  /** Called when a fetch saw refs move (never for a mirror's first fetch: nothing to compare). */
  onRefsMoved?: (repoURL: string, moves: RefMove[]) => void;
}

interface FetchState {
  pending?: Promise<void>;
  running?: Promise<void>;
  /** True once refs have a baseline to compare a fetch against. */
  baseline: boolean;
  /** When the last successful fetch started (performance.now()). */
  fetchedAt?: number;
  /** When a change hint said the remote moved; fetches started before it are stale. */
  invalidatedAt: number;
  /** The mirror's branches and tags right after the last fetch (only fetches move them). */
  refs?: Map<string, string>;
}

const HEX = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export class MirrorStore {
  private readonly states = new Map<string, FetchState>();
  private readonly inits = new Map<string, Promise<void>>();
  private readonly slots: Semaphore;
  private readonly knownCommits = new Map<string, true>();

  constructor(private readonly options: MirrorStoreOptions) {
    this.slots = new Semaphore(options.maxConcurrentFetches ?? 8);
  }

  dir(repoURL: string): string {
    return path.join(this.options.cacheDir, "mirrors", `${repoCacheKey(repoURL)}.git`);
  }

  /** simple-git in the mirror (which must exist: call fetch or ensure first). */
  git(repoURL: string): SimpleGit {
    return gitIn(this.dir(repoURL), this.env(repoURL));
  }

  env(repoURL: string): Record<string, string> {
    return gitEnv(repoURL, this.options.credentials?.(repoURL));
  }

  /** Fetches branches and tags (pruning deleted ones), sharing the fetch with concurrent callers. */
  fetch(repoURL: string): Promise<void> {
    assertUrl(repoURL);
    const key = normalizeRepoUrl(repoURL);
    let state = this.states.get(key);
    if (!state) {
      state = { baseline: existsSync(this.dir(repoURL)), invalidatedAt: -Infinity };
      this.states.set(key, state);
    }
    if (state.pending) return state.pending;
    const st = state;
    const previous = st.running ?? Promise.resolve();
    const pending = previous
      .catch(() => undefined)
      // One macrotask of grace so callers in the same burst join this fetch.
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        st.pending = undefined;
        const running = this.slots.run(() => this.fetchNow(repoURL, st));
        st.running = running;
        return running.finally(() => {
          if (st.running === running) st.running = undefined;
        });
      });
    st.pending = pending;
    return pending;
  }

  /**
   * Fetches unless a fetch that started less than `maxAgeMs` ago succeeded and no change hint
   * came since (a burst of reconciles of many apps on one repository then costs one fetch).
   */
  fetchIfStale(repoURL: string, maxAgeMs: number): Promise<void> {
    const state = this.states.get(normalizeRepoUrl(repoURL));
    const at = state?.fetchedAt;
    if (state && at !== undefined && at > state.invalidatedAt && this.now() - at < maxAgeMs && existsSync(this.dir(repoURL))) {
      return Promise.resolve();
    }
    return this.fetch(repoURL);
  }

  /** Branches and tags as of the last fetch by this store, without running git; undefined before one. */
  knownRefs(repoURL: string): ReadonlyMap<string, string> | undefined {
    return this.states.get(normalizeRepoUrl(repoURL))?.refs;
  }

  /** A change hint (webhook, hosted push): the next resolve must fetch. */
  invalidate(repoURL: string): void {
    const state = this.states.get(normalizeRepoUrl(repoURL));
    if (state) state.invalidatedAt = this.now();
  }

  /** True when the mirror already holds `sha` as a commit (so no fetch is needed). */
  async hasCommit(repoURL: string, sha: string): Promise<boolean> {
    if (!HEX.test(sha) || !existsSync(this.dir(repoURL))) return false;
    const key = `${normalizeRepoUrl(repoURL)}@${sha}`;
    // Commits are immutable and fetches only add them: a yes is a yes for good.
    if (this.knownCommits.has(key)) return true;
    const out = await this.git(repoURL)
      .raw(["cat-file", "-t", sha])
      .catch(() => "");
    const yes = out.trim() === "commit";
    if (yes) remember(this.knownCommits, key, true);
    return yes;
  }

  /** Branches and tags of the mirror: full ref name → commit sha (tags peeled). */
  async refs(repoURL: string): Promise<Map<string, string>> {
    const refs = new Map<string, string>();
    if (!existsSync(this.dir(repoURL))) return refs;
    const out = await this.git(repoURL).raw([
      "for-each-ref",
      "--format=%(refname)%09%(objectname)%09%(*objectname)",
      "refs/heads",
      "refs/tags",
    ]);
    for (const line of out.split("\n")) {
      const [ref, object, peeled] = line.split("\t");
      if (ref && object) refs.set(ref, peeled || object);
    }
    return refs;
  }

  private async ensure(repoURL: string): Promise<void> {
    const dir = this.dir(repoURL);
    let init = this.inits.get(dir);
    if (!init) {
      init = (async () => {
        if (existsSync(path.join(dir, "HEAD"))) return;
        await mkdir(dir, { recursive: true });
        await gitIn(dir, this.env(repoURL)).raw(["init", "--bare", "--quiet"]);
      })();
      this.inits.set(dir, init);
      init.catch(() => this.inits.delete(dir));
    }
    await init;
  }

  private now(): number {
    return this.options.now?.() ?? performance.now();
  }

  private async fetchNow(repoURL: string, state: FetchState): Promise<void> {
    const started = performance.now();
    const fetchStarted = this.now();
    let ok = false;
    try {
      await this.ensure(repoURL);
      const before = await this.refs(repoURL);
      await this.git(repoURL)
        .raw([
          "fetch",
          "--prune",
          "--no-tags",
          "--quiet",
          "--end-of-options",
          repoURL,
          "+refs/heads/*:refs/heads/*",
          "+refs/tags/*:refs/tags/*",
        ])
        .catch((err: unknown) => {
          throw toGitError(err, { repoURL, action: "fetch" });
        });
      ok = true;
      state.fetchedAt = fetchStarted;
      const after = await this.refs(repoURL);
      state.refs = after;
      const moves = diffRefs(before, after);
      if (state.baseline && moves.length > 0) this.options.onRefsMoved?.(repoURL, moves);
      state.baseline = true;
    } finally {
      this.options.onFetch?.({ repoURL, durationMs: performance.now() - started, ok });
    }
  }
}

const MEMO_LIMIT = 10_000;

/** Sets key in a memo map, dropping the oldest entry beyond MEMO_LIMIT (insertion order). */
export function remember<V>(memo: Map<string, V>, key: string, value: V): void {
  memo.delete(key);
  memo.set(key, value);
  if (memo.size > MEMO_LIMIT) {
    const oldest = memo.keys().next();
    if (!oldest.done) memo.delete(oldest.value);
  }
}

export function diffRefs(before: Map<string, string>, after: Map<string, string>): RefMove[] {
  const moves: RefMove[] = [];
  for (const [ref, to] of after) {
    const from = before.get(ref);
    if (from !== to) moves.push({ ref, from, to });
  }
  for (const [ref, from] of before) {
    if (!after.has(ref)) moves.push({ ref, from });
  }
  return moves.sort((a, b) => a.ref.localeCompare(b.ref));
}

/** Option injection guard: git would read `-…` as a flag even after our own flags in some paths. */
export function assertUrl(repoURL: string): void {
  if (repoURL.trim() === "" || repoURL.startsWith("-") || /[\0\n\r]/.test(repoURL)) {
    throw new GitError(`invalid repository URL ${JSON.stringify(repoURL)}`, { reason: "invalid", repoURL });
  }
}

class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so the limit holds exactly.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    }
  }
}
