// Path rules for entries of a chart archive. An archive comes from the network or a git
// repository, so every entry path is checked before it means anything.

export type EntryPathCheck = { ok: true; segments: string[] } | { ok: false; problem: string };

/**
 * Splits an entry path into its segments, or says why it is unacceptable. Backslashes count
 * as separators (archives made on Windows), "." and empty segments are dropped.
 */
export function checkEntryPath(entryPath: string): EntryPathCheck {
  if (entryPath.includes("\0")) return { ok: false, problem: "path contains a NUL byte" };
  if (/^([/\\]|[A-Za-z]:)/.test(entryPath)) return { ok: false, problem: "absolute path" };
  const parts = entryPath.split(/[/\\]/);
  if (parts.includes("..")) return { ok: false, problem: "path escapes the chart" };
  const segments = parts.filter((p) => p !== "" && p !== ".");
  if (segments.length === 0) return { ok: false, problem: "empty path" };
  return { ok: true, segments };
}

const MIB = 1024 * 1024;

export function formatBytes(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;
}
