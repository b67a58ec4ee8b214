// The read-only actions: list, history, status and get (model: Helm's action/list.go,
// history.go, status.go, get_values.go). They only read records; nothing touches the cluster.
import { NotFoundError, UsageError } from "../../core/errors.js";
import type { Release, ReleaseStatus } from "../model.js";
import type { ReleaseStorage } from "../storage/index.js";

export interface ListOptions {
  /** Undefined: all namespaces (-A). */
  namespace?: string;
  /** Every status, not only deployed + failed (--all). */
  all?: boolean;
  /** Only these statuses (overrides the default). */
  statuses?: readonly ReleaseStatus[];
  /** Release names matching this regular expression (-f). */
  filter?: string;
}

const DEFAULT_LIST_STATUSES: readonly ReleaseStatus[] = ["deployed", "failed"];

/** The newest revision of each release, filtered like `helm list`, sorted by name. */
export async function listReleases(storage: ReleaseStorage, o: ListOptions = {}): Promise<Release[]> {
  let pattern: RegExp | undefined;
  if (o.filter !== undefined) {
    try {
      pattern = new RegExp(o.filter);
    } catch (err) {
      throw new UsageError(`-f/--filter: invalid regular expression ${JSON.stringify(o.filter)}`, { cause: err });
    }
  }
  const newest = new Map<string, Release>();
  for (const r of await storage.list(o.namespace === undefined ? {} : { namespace: o.namespace })) {
    const key = `${r.namespace}/${r.name}`;
    const seen = newest.get(key);
    if (!seen || seen.version < r.version) newest.set(key, r);
  }
  const statuses = o.statuses ?? (o.all ? undefined : DEFAULT_LIST_STATUSES);
  return [...newest.values()]
    .filter((r) => !statuses || statuses.includes(r.info.status))
    .filter((r) => !pattern || pattern.test(r.name))
    .sort((a, b) => a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace));
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
