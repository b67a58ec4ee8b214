// Real git repositories for the git-source tests: one builder with options, commits written
// from a map of files (null deletes), each repo with its own identity and default branch.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeTempDir } from "../../helpers/tmp.js";

export interface TestRepo {
  dir: string;
  git(...args: string[]): string;
  commit(files: Record<string, string | null>, message: string): string;
  head(ref?: string): string;
}

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: cwd, GIT_TERMINAL_PROMPT: "0", LANG: "C", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** A non-bare repository on `main` with an initial commit of `files`. */
export async function makeRepo(files: Record<string, string> = { "README.md": "hello\n" }): Promise<TestRepo> {
  const dir = await makeTempDir("berth-git-repo-");
  git(dir, ["-c", "init.defaultBranch=main", "init", "--quiet"]);
  git(dir, ["config", "user.name", "Test Author"]);
  git(dir, ["config", "user.email", "author@example.com"]);
  const repo: TestRepo = {
    dir,
    git: (...args) => git(dir, args),
    commit(changes, message) {
      for (const [file, content] of Object.entries(changes)) {
        if (content === null) git(dir, ["rm", "--quiet", "--", file]);
      }
      const writes = Object.fromEntries(Object.entries(changes).filter((e): e is [string, string] => e[1] !== null));
      writeFilesSync(dir, writes);
      git(dir, ["add", "-A"]);
      git(dir, ["commit", "--quiet", "-m", message]);
      return git(dir, ["rev-parse", "HEAD"]);
    },
    head: (ref = "HEAD") => git(dir, ["rev-parse", ref]),
  };
  repo.commit(files, "initial");
  return repo;
}

/** A bare clone of `repo` (what a server would hold). */
export async function makeBareClone(repo: TestRepo): Promise<string> {
  const parent = await makeTempDir("berth-git-bare-");
  const bare = path.join(parent, "origin.git");
  git(parent, ["clone", "--quiet", "--bare", repo.dir, bare]);
  return bare;
}

function writeFilesSync(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
}

/** Waits (bounded, real time) until `check` holds: for events from real processes and watchers. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
