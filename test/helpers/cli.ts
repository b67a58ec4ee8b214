// Runs the built CLI (dist/bin/berth.js, the bundle users run) as a user would: a real process, real exit code.
// `npm test` builds first (pretest); when running vitest alone, run `npm run build` first.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(REPO_ROOT, "dist/bin/berth.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

export function runBerth(args: string[], options: RunOptions = {}): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the tests`);
  return runProcess(process.execPath, [CLI, ...args], {
    ...options,
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
}

/** Any command as a real process: its exit code and output, killed after timeoutMs (default 60 s). */
export function runProcess(command: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A user-facing failure: non-zero exit, one `Error:` line, no stack trace. */
export function expectCleanFailure(result: CliResult): void {
  if (result.code === 0) throw new Error(`expected failure, got exit 0; stdout: ${result.stdout}`);
  if (/\n\s+at .+\(.*:\d+:\d+\)/.test(result.stderr)) throw new Error(`stack trace on stderr: ${result.stderr}`);
  const lines = result.stderr.trim().split("\n");
  if (lines.length !== 1 || !lines[0].startsWith("Error: ")) {
    throw new Error(`expected one "Error: ..." line on stderr, got: ${result.stderr}`);
  }
}
