// The start of every mutating operation: read the release's history, refuse when another live
// operation holds it, and take over a pending revision whose owner died (see lock.ts).
import type { Clock } from "../core/clock.js";
import { ConflictError } from "../core/errors.js";
import { lockState } from "./lock.js";
import type { Release } from "./model.js";
import type { ReleaseRef, ReleaseStorage } from "./storage/index.js";

export interface Guarded {
  /** Every revision, oldest first, after any takeover. */
  history: Release[];
  /** Set when a stale pending revision was taken over: what was found, for the user. */
  recovered?: string;
}

export async function guardRelease(storage: ReleaseStorage, ref: ReleaseRef, clock: Clock): Promise<Guarded> {
  const history = await storage.history(ref);
  const newest = history[history.length - 1];
  if (!newest) return { history };
  const state = lockState(newest, clock);
  if (state.kind === "free") return { history };
  if (state.kind === "held") {
    throw new ConflictError(
      `release ${ref.name}: another operation (${state.status} of revision ${newest.version} by ${state.owner}, alive at ${state.since}) is in progress`,
      { hint: "wait for it to finish; a lock whose owner died is taken over automatically" },
    );
  }
  const message =
    `release ${ref.name}: revision ${newest.version} was left ${state.status} by ${state.owner} ` +
    `(last heartbeat ${state.heartbeat}; ${state.reason}); marked it failed`;
  const failed: Release = {
    ...newest,
    info: { ...newest.info, status: "failed", description: `Abandoned: ${state.status} by ${state.owner} stopped (${state.reason})`, lock: undefined },
  };
  // CAS: when two commands find the same stale lock, only one takes it over.
  const updated = await storage.update(failed);
  return { history: [...history.slice(0, -1), updated], recovered: message };
}

export function lastDeployed(history: readonly Release[]): Release | undefined {
  return [...history].reverse().find((r) => r.info.status === "deployed");
}
