// Materialised commit trees under cacheDir/trees/<sha>, shared by every app on that commit.
// `git archive | tar -x` into a temporary folder, then an atomic rename: a reader never sees a
// half-written tree, and two concurrent checkouts of one commit extract once. Trees are made
// read-only and evicted least recently used once their total size passes the cap.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, lstat, mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import * as tar from "tar";
import type { Clock } from "../../core/clock.js";
import { GitError } from "../../core/errors.js";

export interface TreeCacheOptions {
  cacheDir: string;
  clock: Clock;
  /** Total size of materialised trees before least recently used ones go (default 512 MiB). */
  maxBytes?: number;
  /** A tree used this recently is never evicted, as a render may still be reading it (default 60 s). */
  graceMs?: number;
  /** Logged when a symlink pointing outside its tree is dropped. */
  warn?: (message: string) => void;
}

interface TreeEntry {
  dir: string;
  bytes: number;
  lastUsed: number;
}

export class TreeCache {
  private readonly entries = new Map<string, TreeEntry>();
  private readonly inflight = new Map<string, Promise<string>>();
  private scanned?: Promise<void>;
  private totalBytes = 0;
  private seq = 0;

  constructor(private readonly options: TreeCacheOptions) {}

  private get root(): string {
    return path.join(this.options.cacheDir, "trees");
  }

  /** The folder holding `sha`'s tree, extracting it from `mirrorDir` when not cached. */
  async checkout(mirrorDir: string, sha: string, env: Record<string, string>): Promise<string> {
    await (this.scanned ??= this.scan());
    const cached = this.entries.get(sha);
    if (cached) {
      cached.lastUsed = this.options.clock.now();
      return cached.dir;
    }
    let job = this.inflight.get(sha);
    if (!job) {
      job = this.extract(mirrorDir, sha, env).finally(() => this.inflight.delete(sha));
      this.inflight.set(sha, job);
    }
    return job;
  }

  private async extract(mirrorDir: string, sha: string, env: Record<string, string>): Promise<string> {
    const dir = path.join(this.root, sha);
    const tmp = path.join(this.root, `.tmp-${process.pid}-${this.seq++}-${sha}`);
    await mkdir(tmp, { recursive: true });
    try {
      await archiveInto({ mirrorDir, sha, env, dest: tmp, warn: this.options.warn });
      await makeReadOnly(tmp);
      if (existsSync(dir)) await removeTree(tmp);
      else await rename(tmp, dir);
    } catch (err) {
      await removeTree(tmp);
      throw err;
    }
    const bytes = await treeSize(dir);
    this.entries.set(sha, { dir, bytes, lastUsed: this.options.clock.now() });
    this.totalBytes += bytes;
    await this.evict(sha);
    return dir;
  }

  private async evict(keep: string): Promise<void> {
    const cap = this.options.maxBytes ?? 512 * 1024 * 1024;
    if (this.totalBytes <= cap) return;
    const cutoff = this.options.clock.now() - (this.options.graceMs ?? 60_000);
    const oldest = [...this.entries.entries()]
      .filter(([sha, e]) => sha !== keep && e.lastUsed <= cutoff)
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [sha, entry] of oldest) {
      if (this.totalBytes <= cap) break;
      this.entries.delete(sha);
      this.totalBytes -= entry.bytes;
      await removeTree(entry.dir);
    }
  }

  /** Adopts trees left by an earlier process (least recently used first), clearing partial ones. */
  private async scan(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    for (const name of await readdir(this.root)) {
      const dir = path.join(this.root, name);
      if (name.startsWith(".tmp-")) {
        await removeTree(dir);
        continue;
      }
      const bytes = await treeSize(dir);
      this.entries.set(name, { dir, bytes, lastUsed: 0 });
      this.totalBytes += bytes;
    }
  }
}

async function archiveInto(options: {
  mirrorDir: string;
  sha: string;
  env: Record<string, string>;
  dest: string;
  warn?: (message: string) => void;
}): Promise<void> {
  const { mirrorDir, sha, env, dest, warn } = options;
  const child = spawn("git", ["archive", "--format=tar", sha], { cwd: mirrorDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
  const extract = tar.x({
    cwd: dest,
    strict: true,
    // A repository is untrusted input: a symlink to /etc/... must not become readable as a file
    // of the chart, so links that leave the tree are dropped.
    filter: (entryPath, entry) => {
      if (!("type" in entry) || (entry.type !== "SymbolicLink" && entry.type !== "Link")) return true;
      const target = path.resolve(path.dirname(path.join(dest, entryPath)), entry.linkpath ?? "");
      const inside = target === dest || target.startsWith(dest + path.sep);
      if (!inside) warn?.(`commit ${sha}: dropped link ${entryPath} pointing outside the tree`);
      return inside;
    },
  });
  await Promise.all([pipeline(child.stdout, extract), exited]).then(([, code]) => {
    if (code !== 0) throw new Error(stderr.trim() || `git archive exited ${code}`);
  }).catch((err: unknown) => {
    throw new GitError(`cannot materialise commit ${sha}: ${err instanceof Error ? err.message : String(err)}`, {
      reason: "failed",
      repoURL: mirrorDir,
      revision: sha,
      cause: err,
    });
  });
}

async function walk(dir: string, visit: (file: string, isDir: boolean, size: number) => Promise<void>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      await walk(file, visit);
      await visit(file, true, 0);
    } else {
      const stat = await lstat(file);
      await visit(file, false, stat.size);
    }
  }
}

async function treeSize(dir: string): Promise<number> {
  let total = 0;
  await walk(dir, async (_file, _isDir, size) => {
    total += size;
  });
  return total;
}

async function makeReadOnly(dir: string): Promise<void> {
  await walk(dir, async (file, isDir) => {
    if (isDir) await chmod(file, 0o555);
    else if (!(await lstat(file)).isSymbolicLink()) await chmod(file, 0o444);
  });
  await chmod(dir, 0o555);
}

async function removeTree(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  // Read-only folders cannot be emptied; give write back first.
  await chmod(dir, 0o755).catch(() => undefined);
  await walk(dir, async (file, isDir) => {
    if (isDir) await chmod(file, 0o755);
  }).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
