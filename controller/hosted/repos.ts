// Creating hosted repositories: a bare repository that accepts pushes over smart HTTP,
// optionally seeded with a folder's content as its first commit (plumbing only: no clone, no
// work tree inside the bare repository).
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConflictError } from "../../core/errors.js";
import { runGit } from "./exec.js";
import { assertBranchName, hostedRepoDir } from "./names.js";

export interface CreateHostedRepoOptions {
  /** Default "main". */
  defaultBranch?: string;
  /** A folder whose files become the first commit (its .gitignore applies). */
  seedDir?: string;
  /** Default "Initial commit". */
  message?: string;
  /** Default { name: "berth", email: "berth@localhost" }. */
  author?: { name: string; email: string };
}

export interface HostedRepo {
  name: string;
  dir: string;
  /** The seed commit, when seeded. */
  head?: string;
}

export async function createHostedRepo(root: string, name: string, options: CreateHostedRepoOptions = {}): Promise<HostedRepo> {
  const dir = hostedRepoDir(root, name);
  const branch = options.defaultBranch ?? "main";
  assertBranchName(branch);
  if (existsSync(dir)) throw new ConflictError(`hosted repository ${name} already exists`);
  await mkdir(path.dirname(dir), { recursive: true });
  await runGit(["init", "--bare", "--quiet", `--initial-branch=${branch}`, dir], { cwd: path.dirname(dir) });
  await runGit(["config", "http.receivepack", "true"], { cwd: dir });
  await runGit(["config", "http.uploadpack", "true"], { cwd: dir });
  if (!options.seedDir) return { name, dir };
  const head = await seed(dir, branch, { ...options, seedDir: options.seedDir });
  return { name, dir, head };
}

async function seed(dir: string, branch: string, options: CreateHostedRepoOptions & { seedDir: string }): Promise<string> {
  const scratch = await mkdtemp(path.join(tmpdir(), "berth-seed-"));
  const author = options.author ?? { name: "berth", email: "berth@localhost" };
  const env = {
    GIT_DIR: dir,
    GIT_WORK_TREE: path.resolve(options.seedDir),
    GIT_INDEX_FILE: path.join(scratch, "index"),
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
  try {
    await runGit(["add", "--all", "--", "."], { cwd: options.seedDir, env });
    const tree = (await runGit(["write-tree"], { cwd: options.seedDir, env })).trim();
    const commit = (await runGit(["commit-tree", tree, "-m", options.message ?? "Initial commit"], { cwd: options.seedDir, env })).trim();
    await runGit(["update-ref", `refs/heads/${branch}`, commit, ""], { cwd: dir, env: { GIT_DIR: dir } });
    return commit;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
