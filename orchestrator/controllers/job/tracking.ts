// What the Job controller wrote and has not yet seen come back through its informers. A pod
// whose finalizer removal is in flight counts as counted (pkg/controller/job's
// finalizerExpectations), and a Job whose cached status is older than the one last written is
// not synced from that stale copy: either would count a finished pod twice or not at all.
// Entries expire on the injected clock, so a lost event delays a Job but never wedges it.
import type { Clock } from "../../../core/clock.js";

const TTL_MS = 5 * 60_000;

export class FinalizerExpectations {
  private readonly entries = new Map<string, Map<string, number>>();

  constructor(private readonly clock: Clock) {}

  expectRemoval(key: string, uids: Iterable<string>): void {
    const e = this.entries.get(key) ?? new Map<string, number>();
    for (const uid of uids) e.set(uid, this.clock.now());
    this.entries.set(key, e);
  }

  observed(key: string, uid: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    e.delete(uid);
    if (e.size === 0) this.entries.delete(key);
  }

  /** Uids whose finalizer removal was sent and not yet seen. */
  pending(key: string): Set<string> {
    const e = this.entries.get(key);
    const now = this.clock.now();
    const out = new Set<string>();
    for (const [uid, at] of e ?? []) {
      if (now - at > TTL_MS) e?.delete(uid);
      else out.add(uid);
    }
    return out;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

function olderThan(a: string, b: string): boolean {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) < BigInt(b);
}

export class WrittenVersions {
  private readonly entries = new Map<string, { uid: string; resourceVersion: string; at: number }>();

  constructor(private readonly clock: Clock) {}

  wrote(key: string, obj: { metadata?: { uid?: string; resourceVersion?: string } }): void {
    const { uid, resourceVersion } = obj.metadata ?? {};
    if (uid && resourceVersion) this.entries.set(key, { uid, resourceVersion, at: this.clock.now() });
  }

  /** False while the cached object is older than what this controller wrote. */
  caughtUp(key: string, cached: { metadata?: { uid?: string; resourceVersion?: string } }): boolean {
    const e = this.entries.get(key);
    if (!e) return true;
    const stale = e.uid === cached.metadata?.uid && olderThan(cached.metadata.resourceVersion ?? "", e.resourceVersion) && this.clock.now() - e.at <= TTL_MS;
    if (!stale) this.entries.delete(key);
    return !stale;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
