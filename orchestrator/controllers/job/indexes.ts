// Completion indexes of Indexed Jobs as ordered intervals, written the way Kubernetes writes
// status.completedIndexes and status.failedIndexes ("0-2,4,6,7": a run of two is two numbers),
// after pkg/controller/job/indexed_job_utils.go. Parsing is lenient like the controller's:
// a corrupt interval is skipped, indexes at or past `completions` are dropped.
import type { V1Pod } from "@kubernetes/client-node";

export const COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";

export interface Interval {
  first: number;
  last: number;
}

export type Intervals = readonly Interval[];

/** The pod's completion index, or undefined when it has none or it is not a whole number. */
export function completionIndexOf(pod: V1Pod): number | undefined {
  const raw = pod.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** A valid index for a Job with `completions`: present and below it. */
export function validIndexOf(pod: V1Pod, completions: number): number | undefined {
  const ix = completionIndexOf(pod);
  return ix !== undefined && ix < completions ? ix : undefined;
}

export function parseIndexes(text: string | undefined | null, completions: number): Interval[] {
  const out: Interval[] = [];
  for (const part of (text ?? "").split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const first = Number(m[1]);
    if (first >= completions) break;
    const last = Math.min(m[2] === undefined ? first : Number(m[2]), completions - 1);
    if (last < first) continue;
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

/** Merges two ordered interval lists. */
export function mergeIntervals(a: Intervals, b: Intervals): Interval[] {
  const all = [...a, ...b].sort((x, y) => x.first - y.first);
  const out: Interval[] = [];
  for (const iv of all) {
    const prev = out[out.length - 1];
    if (prev && iv.first <= prev.last + 1) prev.last = Math.max(prev.last, iv.last);
    else out.push({ ...iv });
  }
  return out;
}

export function withIndexes(intervals: Intervals, indexes: Iterable<number>): Interval[] {
  return mergeIntervals(intervals, [...new Set(indexes)].map((i) => ({ first: i, last: i })));
}

export function totalOf(intervals: Intervals): number {
  return intervals.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
}

export function hasIndex(intervals: Intervals, ix: number): boolean {
  return intervals.some((iv) => iv.first <= ix && ix <= iv.last);
}

export function formatIntervals(intervals: Intervals): string {
  return intervals
    .map((iv) => (iv.last === iv.first ? `${iv.first}` : iv.last === iv.first + 1 ? `${iv.first},${iv.last}` : `${iv.first}-${iv.last}`))
    .join(",");
}

/** "0-2,4,6,7" from a set of indexes. */
export function formatIndexes(indexes: Iterable<number>): string {
  return formatIntervals(withIndexes([], indexes));
}

/** The first `count` indexes below `completions` not covered by `taken`. */
export function firstPendingIndexes(taken: Intervals, count: number, completions: number): number[] {
  const out: number[] = [];
  let candidate = 0;
  for (const iv of taken) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    candidate = Math.max(candidate, iv.last + 1);
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}
