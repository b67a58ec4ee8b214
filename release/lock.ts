// Pending-state safety. Helm leaves a release in pending-* forever when its process dies
// ("another operation (install/upgrade/rollback) is in progress"). berth writes a lock into the
// pending record: an owner ("host:pid"), a heartbeat and an expiry, refreshed between steps.
// The next operation treats the lock as stale when it expired or when its owner ran on this
// host and that process no longer exists, marks that revision failed, and goes on.
import os from "node:os";
import type { Clock } from "../core/clock.js";
import { isPending, type Release, type ReleaseLock } from "./model.js";

/** Beyond the operation's own timeout, how long a silent lock is still trusted. */
export const LOCK_GRACE_MS = 2 * 60_000;

export function currentOwner(): string {
  return `${os.hostname()}:${process.pid}`;
}

export function newLock(clock: Clock, options: { ttlMs: number; owner?: string }): ReleaseLock {
  const now = clock.now();
  return {
    owner: options.owner ?? currentOwner(),
    heartbeat: new Date(now).toISOString(),
    expires: new Date(now + options.ttlMs + LOCK_GRACE_MS).toISOString(),
  };
}

export type LockState =
  | { kind: "free" }
  | { kind: "held"; owner: string; status: Release["info"]["status"]; since: string }
  | { kind: "stale"; owner: string; status: Release["info"]["status"]; heartbeat: string; reason: string };

/** Whether `release` (the newest revision) blocks a new operation. */
export function lockState(release: Release, clock: Clock, isAlive: (owner: string) => boolean = ownerAlive): LockState {
  const status = release.info.status;
  if (!isPending(status)) return { kind: "free" };
  const lock = release.info.lock;
  if (!lock) return { kind: "stale", owner: "unknown", status, heartbeat: release.info.lastDeployed, reason: "it holds no lock" };
  if (clock.now() > Date.parse(lock.expires)) {
    return { kind: "stale", owner: lock.owner, status, heartbeat: lock.heartbeat, reason: `its lock expired at ${lock.expires}` };
  }
  if (!isAlive(lock.owner)) {
    return { kind: "stale", owner: lock.owner, status, heartbeat: lock.heartbeat, reason: `process ${lock.owner} is gone` };
  }
  return { kind: "held", owner: lock.owner, status, since: lock.heartbeat };
}

/** False only when we can tell: the owner ran on this host and its pid no longer exists. */
export function ownerAlive(owner: string): boolean {
  const at = owner.lastIndexOf(":");
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (at < 0 || host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return err instanceof Error && "code" in err && err.code === "EPERM";
  }
}
