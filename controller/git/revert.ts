// `git revert` of a deployed commit, written back to the source repository so git stays the
// truth. Work happens in a throwaway clone of the mirror; the result is pushed to the source
// (over HTTP with credentials for remote and hosted repositories). A local, non-bare repository
// with the branch checked out cannot take a push to that branch, so it fast-forwards instead,
// which keeps the user's uncommitted changes (or refuses if they touch the same files).
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { existsSync } from "node:fs";
import { GitError } from "../../core/errors.js";
import { gitIn, toGitError } from "./run.js";
import { localRepoPath, redactRepoUrl } from "./url.js";

export interface RevertOptions {
  repoURL: string;
  mirrorDir: string;
  /** Scratch space for the clone (removed afterwards). */
  workRoot: string;
  commit: string;
  branch: string;
  /** "Name <email>"; default "berth <berth@localhost>". */
  author?: string;
  env: Record<string, string>;
}

/** Makes and publishes the revert commit; returns its sha. */
export async function revertAndPublish(options: RevertOptions): Promise<string> {
  const { repoURL, commit, branch } = options;
  const work = path.join(options.workRoot, `revert-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
  await mkdir(options.workRoot, { recursive: true });
  try {
    const git = gitIn(options.workRoot, options.env);
    await git.raw(["clone", "--quiet", "--no-tags", "--single-branch", "--branch", branch, "--end-of-options", options.mirrorDir, work]).catch((err: unknown) => {
      throw new GitError(`cannot revert ${commit} in ${redactRepoUrl(repoURL)}: branch ${branch} not found`, {
        reason: "unknown-revision",
        repoURL: redactRepoUrl(repoURL),
        revision: branch,
        cause: err,
      });
    });
    const sha = await makeRevertCommit({ ...options, work });
    await publish({ ...options, work, sha });
    return sha;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function authorEnv(author: string | undefined): Record<string, string> {
  const match = /^\s*([^<>\n]+?)\s*<([^<>\s]+)>\s*$/.exec(author ?? "");
  const name = match ? match[1] : (author ?? "").replace(/[<>\n]/g, "").trim() || "berth";
  const email = match ? match[2] : "berth@localhost";
  return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
}

async function makeRevertCommit(options: RevertOptions & { work: string }): Promise<string> {
  const { repoURL, commit, branch, work } = options;
  const git = gitIn(work, { ...options.env, ...authorEnv(options.author) });
  const repo = redactRepoUrl(repoURL);
  const isAncestor = await git
    .raw(["merge-base", "--is-ancestor", "--end-of-options", commit, "HEAD"])
    .then(() => true, () => false);
  if (!isAncestor) {
    throw new GitError(`cannot revert ${commit} in ${repo}: it is not on branch ${branch}`, { reason: "invalid", repoURL: repo, revision: commit });
  }
  const parents = (await git.raw(["rev-list", "--parents", "-n", "1", commit])).trim().split(" ").length - 1;
  const args = ["revert", "--no-edit", ...(parents > 1 ? ["-m", "1"] : []), "--end-of-options", commit];
  try {
    await git.raw(args);
  } catch (err) {
    const conflicted = (await git.raw(["diff", "--name-only", "--diff-filter=U"]).catch(() => "")).trim().split("\n").filter(Boolean);
    await git.raw(["revert", "--abort"]).catch(() => undefined);
    if (conflicted.length > 0) {
      throw new GitError(`cannot revert ${commit} on ${branch} in ${repo}: it conflicts with later commits in ${conflicted.join(", ")}`, {
        reason: "conflict",
        repoURL: repo,
        revision: commit,
        cause: err,
      });
    }
    throw toGitError(err, { repoURL, revision: commit, action: "revert" });
  }
  return (await git.raw(["rev-parse", "HEAD"])).trim();
}

async function publish(options: RevertOptions & { work: string; sha: string }): Promise<void> {
  const { repoURL, branch, work, sha } = options;
  const local = localRepoPath(repoURL);
  if (local !== undefined && (await checkedOutBranch(local, options.env)) === branch) {
    // Objects go in through fetch; the branch moves by fast-forward, updating the working tree.
    const target = gitIn(local, options.env);
    try {
      await target.raw(["fetch", "--quiet", "--no-tags", "--end-of-options", work, sha]);
      await target.raw(["merge", "--ff-only", "--quiet", sha]);
    } catch (err) {
      throw toGitError(err, { repoURL, revision: branch, action: "fast-forward" });
    }
    return;
  }
  await gitIn(work, options.env)
    .raw(["push", "--quiet", "--end-of-options", repoURL, `${sha}:refs/heads/${branch}`])
    .catch((err: unknown) => {
      const error = toGitError(err, { repoURL, revision: branch, action: "push" });
      if (/non-fast-forward|fetch first|rejected/i.test(error.message)) {
        throw new GitError(`cannot push the revert to ${redactRepoUrl(repoURL)} ${branch}: the branch moved meanwhile; try again`, {
          reason: "conflict",
          repoURL: redactRepoUrl(repoURL),
          revision: branch,
          cause: err,
        });
      }
      throw error;
    });
}

/** The branch checked out in a local non-bare repository, if any. */
async function checkedOutBranch(dir: string, env: Record<string, string>): Promise<string | undefined> {
  if (!existsSync(dir)) return undefined;
  const git = gitIn(dir, env);
  const bare = (await git.raw(["rev-parse", "--is-bare-repository"]).catch(() => "true")).trim();
  if (bare === "true") return undefined;
  const head = (await git.raw(["symbolic-ref", "--quiet", "HEAD"]).catch(() => "")).trim();
  return head.startsWith("refs/heads/") ? head.slice("refs/heads/".length) : undefined;
}
