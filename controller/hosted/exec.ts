// git as a child process with an argument array (never a shell) and a minimal environment.
import { execFile } from "node:child_process";

export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LANG: "C", LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", ...extra };
}

export function runGit(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd: options.cwd, env: baseEnv(options.env), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args[0]} failed: ${stderr.trim() || err.message}`, { cause: err }));
      else resolve(stdout);
    });
  });
}

/** Branches and tags of a bare repository: full ref name → object id. */
export async function readRefs(gitDir: string): Promise<Map<string, string>> {
  const out = await runGit(["for-each-ref", "--format=%(refname)%09%(objectname)", "refs/heads", "refs/tags"], { cwd: gitDir });
  const refs = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [ref, sha] = line.split("\t");
    if (ref && sha) refs.set(ref, sha);
  }
  return refs;
}
