// Running git: one place that builds the environment (no prompts, English messages, credentials
// passed through the environment so they never appear in a process's arguments or a mirror's
// config) and turns git's stderr into typed GitErrors.
import { simpleGit, type SimpleGit } from "simple-git";
import { GitError, type GitErrorReason } from "../../core/errors.js";
import { httpOrigin, redactRepoUrl } from "./url.js";

export interface GitCredentials {
  username: string;
  password: string;
}

/** Looks up credentials for a repository URL; undefined means anonymous. */
export type CredentialLookup = (repoURL: string) => GitCredentials | undefined;

/** Environment for a git process: inherits PATH and HOME only, never prompts, speaks English. */
export function gitEnv(repoURL?: string, credentials?: GitCredentials): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    LANG: "C",
    LC_ALL: "C",
    GIT_TERMINAL_PROMPT: "0",
  };
  const origin = repoURL === undefined ? undefined : httpOrigin(repoURL);
  if (credentials && origin) {
    // http.<url>.extraHeader scopes the header to that server; the header lives only in the env.
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
    env.GIT_CONFIG_COUNT = "1";
    env.GIT_CONFIG_KEY_0 = `http.${origin}/.extraHeader`;
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
  }
  return env;
}

/** A simple-git instance in `baseDir` with the berth environment. */
export function gitIn(baseDir: string, env: Record<string, string>): SimpleGit {
  return simpleGit({
    baseDir,
    maxConcurrentProcesses: 4,
    // The only env config we set is the credential header above; no user input reaches it.
    unsafe: { allowUnsafeConfigEnvCount: true },
    // simple-git's default treats a non-zero exit with empty stderr as success; `--quiet`
    // probes (rev-parse --verify, merge-base --is-ancestor) answer only through the exit code.
    errors: (error, result) => {
      if (error) return error;
      if (result.exitCode === 0) return undefined;
      const output = Buffer.concat([...result.stdErr, ...result.stdOut]).toString("utf8").trim();
      return new Error(output || `git exited ${result.exitCode}`);
    },
  }).env(env);
}

const PATTERNS: [RegExp, GitErrorReason][] = [
  [/authentication failed|could not read (username|password)|401|403|permission denied|terminal prompts disabled/i, "auth"],
  [/could not resolve host|connection refused|failed to connect|timed out|network is unreachable|no route to host|connection reset/i, "unreachable"],
  [/does not appear to be a git repository|repository not found|not found|404|no such file or directory|not a git repository/i, "unknown-repo"],
];

/** Classifies a failed git command into a GitError naming the repository and revision. */
export function toGitError(err: unknown, context: { repoURL: string; revision?: string; action: string }): GitError {
  if (err instanceof GitError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const text = scrubCredentials(raw);
  const reason = PATTERNS.find(([re]) => re.test(text))?.[1] ?? "failed";
  const repo = redactRepoUrl(context.repoURL);
  const what = context.revision ? `${repo} at ${context.revision}` : repo;
  const summary: Record<GitErrorReason, string> = {
    auth: "authentication failed",
    unreachable: "repository unreachable",
    "unknown-repo": "repository not found",
    "unknown-revision": "unknown revision",
    conflict: "conflict",
    invalid: "invalid input",
    failed: "git failed",
  };
  const detail = firstMeaningfulLine(text);
  return new GitError(`git ${context.action} ${what}: ${summary[reason]}${detail ? ` (${detail})` : ""}`, {
    reason,
    repoURL: repo,
    revision: context.revision,
    cause: err,
  });
}

function firstMeaningfulLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const fatal = lines.find((l) => /^(fatal|error):/i.test(l));
  return (fatal ?? lines[0] ?? "").slice(0, 300);
}

/** Removes user:password@ from any URL and Authorization values from text headed for logs. */
export function scrubCredentials(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, "$1")
    .replace(/(Authorization:\s*\w+\s+)\S+/gi, "$1***");
}
