// The release storage interface (model: Helm's storage/driver/driver.go). Records are keyed by
// namespace, name and version; every implementation refuses a create over an existing record and
// an update of a record that changed since it was read (compare-and-swap on storageVersion), so
// two berths racing on one release cannot both win.
import type { Release, ReleaseStatus } from "../model.js";
import type { ReleaseSummary } from "../summary.js";

export interface ReleaseRef {
  namespace: string;
  name: string;
}

export interface ListFilter {
  /** Undefined: every namespace. */
  namespace?: string;
  /** Only records with one of these statuses (all when undefined). */
  statuses?: readonly ReleaseStatus[];
}

export interface ReleaseStorage {
  /** Stores a new record; ConflictError when that revision exists. Returns it with storageVersion set. */
  create(release: Release): Promise<Release>;
  /** Replaces a record read earlier; ConflictError when it changed since, NotFoundError when gone. */
  update(release: Release): Promise<Release>;
  /** One revision; NotFoundError naming the release and revision when absent. */
  get(ref: ReleaseRef, version: number): Promise<Release>;
  /** Every revision matching the filter (all releases). */
  list(filter?: ListFilter): Promise<Release[]>;
  /** What `list` shows of every revision matching the filter; cheaper than list() where it can be. */
  summaries(filter?: ListFilter): Promise<ReleaseSummary[]>;
  /** Every revision of one release, oldest first; empty when there is none. */
  history(ref: ReleaseRef): Promise<Release[]>;
  /** Removes one revision and returns it; NotFoundError when absent. */
  delete(ref: ReleaseRef, version: number): Promise<Release>;
}
