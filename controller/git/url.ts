// Repository URL spellings. The same repository reaches berth as an app's repoURL, a webhook's
// clone_url / ssh_url / html_url and a hosted push; normalizeRepoUrl maps the spellings of one
// repository to one key so they match. The key is for identity only: fetches always use the
// URL the user gave.
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** scp-like ssh syntax: `[user@]host:path` (no scheme, a colon before the first slash). */
const SCP_LIKE = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/;
const DEFAULT_PORTS: Record<string, string> = { "http:": "80", "https:": "443", "ssh:": "22", "git:": "9418" };

/**
 * Strips credentials, a trailing slash and `.git`, lower-cases scheme and host and drops default
 * ports; scp-like `git@host:org/repo.git` becomes `ssh://host/org/repo`; local paths and file://
 * URLs become absolute paths (a trailing `/.git` dropped).
 */
export function normalizeRepoUrl(url: string): string {
  const trimmed = url.trim();
  const local = localRepoPath(trimmed);
  if (local !== undefined) return stripTrailing(local.replace(/\/\.git\/?$/, ""));
  const scp = SCP_LIKE.exec(trimmed);
  if (scp && !trimmed.includes("://")) {
    return stripGit(`ssh://${scp[1].toLowerCase()}/${scp[2].replace(/^\/+/, "")}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return stripGit(trimmed);
  }
  const port = parsed.port && parsed.port !== DEFAULT_PORTS[parsed.protocol] ? `:${parsed.port}` : "";
  const pathname = parsed.pathname.replace(/\/{2,}/g, "/");
  return stripGit(`${parsed.protocol.toLowerCase()}//${parsed.hostname.toLowerCase()}${port}${pathname}`);
}

/** The filesystem path of a local repository URL (a path or file://), else undefined. */
export function localRepoPath(url: string): string | undefined {
  if (url.startsWith("file://")) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  if (url.includes("://") || (SCP_LIKE.test(url) && !url.startsWith(".") && !url.startsWith("/"))) return undefined;
  return path.resolve(url);
}

/** The URL with any user:password removed, safe for messages and logs. */
export function redactRepoUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, "$1");
}

/** A short, filesystem-safe, stable directory name for a repository's cache entries. */
export function repoCacheKey(url: string): string {
  const normalized = normalizeRepoUrl(url);
  const tail = normalized.split("/").filter(Boolean).pop() ?? "repo";
  const safeTail = tail.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 40);
  return `${safeTail}-${createHash("sha256").update(normalized).digest("hex").slice(0, 16)}`;
}

/** `scheme://host[:port]` of an http(s) URL, for scoping credentials to that server. */
export function httpOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

function stripTrailing(value: string): string {
  return value.length > 1 ? value.replace(/\/+$/, "") : value;
}

function stripGit(value: string): string {
  return stripTrailing(stripTrailing(value).replace(/\.git$/, ""));
}
