// A unified diff of two objects as YAML, for `diff upgrade` and apply results. Fields the
// server owns (managedFields, resourceVersion, uid, timestamps, status) are dropped first so
// only what a user wrote shows; callers that want defaults not to show compare the live object
// with a server-side dry-run apply of the desired one (see planDiff in apply.ts).
import { stringify } from "yaml";
import { isRecord } from "../client/objects.js";

export interface DiffOptions {
  /** ANSI colours: red removals, green additions, cyan hunk headers. */
  color?: boolean;
  /** Unchanged lines around each change (default 3). */
  context?: number;
  /** Shown in the ---/+++ header. */
  label?: string;
}

const SERVER_METADATA = ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

/** The object without what the server maintains, for comparisons and diffs. */
export function stripServerFields(obj: unknown): Record<string, unknown> {
  if (!isRecord(obj)) return {};
  const { status: _status, ...rest } = obj;
  const metadata = isRecord(rest.metadata) ? { ...rest.metadata } : {};
  for (const f of SERVER_METADATA) delete metadata[f];
  return { ...rest, metadata };
}

/** Unified diff from live to desired; "" when they are equal. Either side may be absent. */
export function diffObjects(live: unknown, desired: unknown, options: DiffOptions = {}): string {
  const a = live === undefined ? [] : toLines(stripServerFields(live));
  const b = desired === undefined ? [] : toLines(stripServerFields(desired));
  return unifiedDiff(a, b, options);
}

function toLines(obj: Record<string, unknown>): string[] {
  return stringify(obj, { sortMapEntries: false, lineWidth: 0 }).replace(/\n$/, "").split("\n");
}

type Op = { kind: " " | "-" | "+"; line: string; a: number; b: number };

/** Line diff by longest common subsequence (manifests are small enough for O(n*m)). */
export function lineOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: " ", line: a[i], a: i++, b: j++ });
    // Removals before additions, as diff(1) prints them.
    else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: "-", line: a[i], a: i++, b: j });
    else ops.push({ kind: "+", line: b[j], a: i, b: j++ });
  }
  return ops;
}

export function unifiedDiff(a: string[], b: string[], options: DiffOptions = {}): string {
  const ops = lineOps(a, b);
  if (ops.every((o) => o.kind === " ")) return "";
  const context = options.context ?? 3;
  const paint = (code: string, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const label = options.label ?? "object";
  const out = [paint("1", `--- live/${label}`), paint("1", `+++ desired/${label}`)];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === " ") {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while the next change is within 2*context unchanged lines.
    for (let gap = 0; end < ops.length; end++) {
      gap = ops[end].kind === " " ? gap + 1 : 0;
      if (gap > 2 * context) break;
    }
    end = Math.min(ops.length, end);
    while (end > k && ops[end - 1].kind === " " && trailing(ops, k, end) > context) end--;
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== "+").length;
    const bCount = hunk.filter((o) => o.kind !== "-").length;
    out.push(paint("36", `@@ -${hunk[0].a + (aCount ? 1 : 0)},${aCount} +${hunk[0].b + (bCount ? 1 : 0)},${bCount} @@`));
    for (const o of hunk) out.push(o.kind === "-" ? paint("31", `-${o.line}`) : o.kind === "+" ? paint("32", `+${o.line}`) : ` ${o.line}`);
    k = end;
    start = end;
  }
  return out.join("\n") + "\n";
}

function trailing(ops: Op[], from: number, end: number): number {
  let n = 0;
  for (let i = end - 1; i >= from && ops[i].kind === " "; i--) n++;
  return n;
}
