// --history-max: keep at most N revisions of a release, deleting the oldest first but never the
// deployed one nor the newest (model: Helm's storage.removeLeastRecent).
import type { Release } from "../model.js";
import type { ReleaseRef, ReleaseStorage } from "./storage.js";

export const DEFAULT_HISTORY_MAX = 10;

/** The revisions to delete so that at most `max` remain (0 = keep everything). */
export function revisionsToPrune(history: readonly Release[], max: number): number[] {
  if (max <= 0 || history.length <= max) return [];
  const sorted = [...history].sort((a, b) => a.version - b.version);
  const newest = sorted[sorted.length - 1].version;
  const removable = sorted.filter((r) => r.info.status !== "deployed" && r.version !== newest && !isLive(r));
  return removable.slice(0, history.length - max).map((r) => r.version);
}

function isLive(r: Release): boolean {
  return r.info.status.startsWith("pending-");
}

export async function pruneHistory(storage: ReleaseStorage, ref: ReleaseRef, max: number): Promise<number[]> {
  const doomed = revisionsToPrune(await storage.history(ref), max);
  for (const version of doomed) await storage.delete(ref, version);
  return doomed;
}
