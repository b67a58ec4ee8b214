// Pure edits of an Application's status: conditions and history.
import type { ApplicationStatus, Condition, HistoryEntry } from "./types.js";

export function setCondition(status: ApplicationStatus, type: string, message: string, now: string): void {
  const existing = status.conditions.find((c) => c.type === type);
  if (existing) {
    if (existing.message !== message) {
      existing.message = message;
      existing.lastTransitionTime = now;
    }
    return;
  }
  const condition: Condition = { type, message, lastTransitionTime: now };
  status.conditions.push(condition);
}

export function clearCondition(status: ApplicationStatus, type: string): void {
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** Appends with the next id (ids are never reused, even after trimming) and keeps the newest `limit`. */
export function appendHistory(history: readonly HistoryEntry[], entry: Omit<HistoryEntry, "id">, limit: number): HistoryEntry[] {
  const id = history.reduce((max, h) => Math.max(max, h.id), 0) + 1;
  const next = [...history, { ...entry, id }];
  return next.slice(Math.max(0, next.length - limit));
}
