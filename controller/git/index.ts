// Public surface of the git source: the contract (types.ts), its simple-git implementation and
// the URL normaliser every entry point (app spec, webhook, hosted push) shares.
export type { CommitInfo, GitSource, RepoChange } from "./types.js";
export { createGitSource, type GitLogger, type GitSourceOptions, type SimpleGitSourceApi } from "./source.js";
export { normalizeRepoUrl, redactRepoUrl, localRepoPath } from "./url.js";
export type { CredentialLookup, GitCredentials } from "./run.js";
export type { FetchEvent } from "./mirror.js";
export { DEFAULT_POLL_INTERVAL_MS } from "./follow.js";
