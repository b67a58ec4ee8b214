// Expectations (client-go's controller_utils.go ControllerExpectations): after a controller
// creates or deletes pods it waits to see those events in its informer before acting on the
// pod count again, so a slow watch never makes it create twice. Entries expire after a TTL on
// the injected clock, so a lost event delays the controller but never wedges it.
import type { Clock } from "../../../core/clock.js";

const DEFAULT_TTL_MS = 5 * 60_000;

interface Entry {
  adds: number;
  deletes: number;
  /** Names of pods we deleted and still expect to see go, so one delete counts once. */
  deleting: Set<string>;
  at: number;
}

export interface ExpectationsOptions {
  clock: Clock;
  ttlMs?: number;
}

export class Expectations {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(options: ExpectationsOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** True when nothing is outstanding (or the expectations expired): safe to sync counts. */
  satisfied(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.deletes <= 0) || this.clock.now() - e.at > this.ttlMs) {
      this.entries.delete(key);
      return true;
    }
    return false;
  }

  expect(key: string, change: { adds?: number; deletes?: string[] }): void {
    const e = this.entries.get(key) ?? { adds: 0, deletes: 0, deleting: new Set<string>(), at: 0 };
    e.adds += change.adds ?? 0;
    for (const name of change.deletes ?? []) {
      if (e.deleting.has(name)) continue;
      e.deleting.add(name);
      e.deletes++;
    }
    e.at = this.clock.now();
    this.entries.set(key, e);
  }

  /** A create failed or was observed: one fewer add outstanding. */
  creationObserved(key: string): void {
    const e = this.entries.get(key);
    if (e) e.adds--;
  }

  deletionObserved(key: string, podName: string): void {
    const e = this.entries.get(key);
    if (e && e.deleting.delete(podName)) e.deletes--;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
