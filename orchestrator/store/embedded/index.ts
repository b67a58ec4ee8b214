// The embedded store: in memory, and durable under a data directory when one is given.
import { mkdir } from "node:fs/promises";
import { realClock, type Clock } from "../../../core/clock.js";
import { UsageError } from "../../../core/errors.js";
import type { Store } from "../types.js";
import { StoreUnavailable } from "../errors.js";
import { DurableLog } from "./durableLog.js";
import { EmbeddedStore } from "./embeddedStore.js";
import { acquireDirLock } from "./lock.js";
import { Mvcc } from "./mvcc.js";
import { recover } from "./recovery.js";

export interface EmbeddedStoreOpenOptions {
  /** Keep the store here (log, snapshots, lock). Absent: memory only, nothing survives close. */
  dataDir?: string;
  /** Revisions of history kept for past reads and resumed watches (default 10,000). */
  historyWindow?: number;
  /** Times snapshots (default: the real clock). */
  clock?: Clock;
  /** Log records between snapshots (default 20,000). */
  snapshotEvery?: number;
  /** A snapshot is also taken at the first write this long after the last one (default 10 min). */
  snapshotIntervalMs?: number;
  /** Recovery and snapshot warnings (default: a "Warning: …" line on stderr). */
  onWarning?: (message: string) => void;
}

export const DEFAULT_HISTORY_WINDOW = 10_000;
const DEFAULT_SNAPSHOT_EVERY = 20_000;
const DEFAULT_SNAPSHOT_INTERVAL_MS = 10 * 60_000;

export async function openEmbeddedStore(options: EmbeddedStoreOpenOptions = {}): Promise<Store> {
  const historyWindow = positiveInteger("historyWindow", options.historyWindow ?? DEFAULT_HISTORY_WINDOW);
  if (options.dataDir === undefined) {
    return new EmbeddedStore({ mvcc: new Mvcc({ revision: 0 }), historyWindow });
  }
  const dir = options.dataDir;
  const warn = options.onWarning ?? ((message: string) => process.stderr.write(`Warning: ${message}\n`));
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new StoreUnavailable(`data directory ${dir}: cannot create: ${String(err)}`, { cause: err });
  }
  const release = await acquireDirLock(dir);
  try {
    const { mvcc, replayed } = await recover(dir, warn);
    // The log reports fsyncs to the store, which is built on the log: tie the knot through a ref.
    const ref: { store?: EmbeddedStore } = {};
    const log = await DurableLog.open({
      dir,
      durableRevision: mvcc.committed,
      recordsSinceSnapshot: replayed,
      onDurable: (revision) => ref.store?.markDurable(revision),
      capture: (revision) => mvcc.liveAt(revision),
      snapshotEvery: positiveInteger("snapshotEvery", options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY),
      snapshotIntervalMs: positiveInteger("snapshotIntervalMs", options.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS),
      clock: options.clock ?? realClock,
      warn,
    });
    ref.store = new EmbeddedStore({ mvcc, log, historyWindow, onClose: release });
    return ref.store;
  } catch (err) {
    await release();
    throw err;
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${name}: expected a positive integer, got ${String(value)}`);
  }
  return value;
}
