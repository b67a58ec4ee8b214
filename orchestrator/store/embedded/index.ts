// The embedded store: in memory, and durable under a data directory when one is given.
import type { Clock } from "../../../core/clock.js";
import { UsageError } from "../../../core/errors.js";
import type { Store } from "../types.js";
import { EmbeddedStore } from "./embeddedStore.js";
import { Mvcc } from "./mvcc.js";

export interface EmbeddedStoreOpenOptions {
  /** Keep the store here (log, snapshots, lock). Absent: memory only, nothing survives close. */
  dataDir?: string;
  /** Revisions of history kept for past reads and resumed watches (default 10,000). */
  historyWindow?: number;
  /** Drives periodic snapshots (default: the real clock). */
  clock?: Clock;
}

export const DEFAULT_HISTORY_WINDOW = 10_000;

export async function openEmbeddedStore(options: EmbeddedStoreOpenOptions = {}): Promise<Store> {
  const historyWindow = options.historyWindow ?? DEFAULT_HISTORY_WINDOW;
  if (!Number.isSafeInteger(historyWindow) || historyWindow < 1) {
    throw new UsageError(`historyWindow: expected a positive integer, got ${String(historyWindow)}`);
  }
  return new EmbeddedStore({ mvcc: new Mvcc({ revision: 0 }), historyWindow });
}
