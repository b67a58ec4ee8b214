// The read-only actions: list, history, status and get (model: Helm's action/list.go,
// history.go, status.go, get_values.go). They only read records; nothing touches the cluster.
import { NotFoundError, UsageError } from "../../core/errors.js";
import type { Release, ReleaseStatus } from "../model.js";
import type { ReleaseStorage } from "../storage/index.js";
import type { ReleaseSummary } from "../summary.js";

export interface ListOptions {
  /** Undefined: all namespaces (-A). */
  namespace?: string;
  /** Every status (--all); overrides `statuses`. */
  all?: boolean;
  /** Only releases whose newest revision has one of these statuses; default deployed + failed. */
  statuses?: readonly ReleaseStatus[];
  /** Release names matching this regular expression (-f). */
  filter?: string;
  /** Sort by last deployment time, oldest first, instead of by name (-d). */
  byDate?: boolean;
  /** Reverse the sort order (-r). */
  reverse?: boolean;
  /** At most this many releases (0: no limit); Helm's default is 256. */
  max?: number;
  /** Skip this many releases first. */
  offset?: number;
}

const DEFAULT_LIST_STATUSES: readonly ReleaseStatus[] = ["deployed", "failed"];

/**
 * The newest revision of each release, filtered, sorted and paged like `helm list` (model:
 * Helm's action/list.go). From summaries, so no record payload is decoded.
 */
export async function listReleases(storage: ReleaseStorage, o: ListOptions = {}): Promise<ReleaseSummary[]> {
  const pattern = compileFilter(o.filter);
  for (const [flag, n] of [["--max", o.max], ["--offset", o.offset]] as const) {
    if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new UsageError(`${flag}: expected a whole number, got ${n}`);
  }
  const statuses = o.all ? undefined : o.statuses && o.statuses.length > 0 ? o.statuses : DEFAULT_LIST_STATUSES;
  let rows = await storage.summaries(o.namespace === undefined ? {} : { namespace: o.namespace });
  if (pattern) rows = rows.filter((r) => pattern.test(r.name));
  // Superseded revisions are never the newest; asked for alone, Helm lists every one of them.
  const onlySuperseded = statuses !== undefined && statuses.length === 1 && statuses[0] === "superseded";
  if (!onlySuperseded) rows = newestOfEach(rows);
  if (statuses) rows = rows.filter((r) => statuses.includes(r.status));
  rows.sort(o.byDate ? byDate : byName);
  if (o.reverse) rows.reverse();
  const offset = o.offset ?? 0;
  return rows.slice(offset, o.max ? offset + o.max : undefined);
}

function compileFilter(filter: string | undefined): RegExp | undefined {
  if (filter === undefined) return undefined;
  try {
    return new RegExp(filter);
  } catch (err) {
    throw new UsageError(`-f/--filter: invalid regular expression ${JSON.stringify(filter)}`, { cause: err });
  }
}

function newestOfEach(rows: readonly ReleaseSummary[]): ReleaseSummary[] {
  const newest = new Map<string, ReleaseSummary>();
  for (const r of rows) {
    const key = `${r.namespace}/${r.name}`;
    const seen = newest.get(key);
    if (!seen || seen.version < r.version) newest.set(key, r);
  }
  return [...newest.values()];
}

function byName(a: ReleaseSummary, b: ReleaseSummary): number {
  return compare(a.name, b.name) || compare(a.namespace, b.namespace) || a.version - b.version;
}

function byDate(a: ReleaseSummary, b: ReleaseSummary): number {
  return compare(a.updated, b.updated) || byName(a, b);
}

/** Byte order, as Go compares strings (localeCompare would vary with the locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface ReleaseQuery {
  releaseName: string;
  namespace: string;
  /** A revision; undefined: the newest. */
  revision?: number;
}

export async function releaseHistory(storage: ReleaseStorage, q: Omit<ReleaseQuery, "revision"> & { max?: number }): Promise<Release[]> {
  const history = await storage.history({ namespace: q.namespace, name: q.releaseName });
  if (history.length === 0) throw new NotFoundError(`release ${q.releaseName}: not found in namespace ${q.namespace}`);
  return q.max ? history.slice(-q.max) : history;
}

/** One revision (the newest by default), for status and get. */
export async function getRelease(storage: ReleaseStorage, q: ReleaseQuery): Promise<Release> {
  if (q.revision !== undefined && (!Number.isInteger(q.revision) || q.revision <= 0)) {
    throw new UsageError(`--revision: expected a positive integer, got ${q.revision}`);
  }
  const history = await releaseHistory(storage, q);
  if (q.revision === undefined) return history[history.length - 1];
  const found = history.find((r) => r.version === q.revision);
  if (!found) {
    throw new NotFoundError(`release ${q.releaseName}: revision ${q.revision} not found`, {
      hint: `revisions: ${history.map((r) => r.version).join(", ")}`,
    });
  }
  return found;
}
