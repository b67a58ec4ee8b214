// Recovery on open: load the snapshot, replay every log segment after it in order, and cut a
// torn or corrupt tail off the last segment (a crash mid-write leaves one; no write in it was
// acknowledged, because acknowledgement waits for the fsync that covers the whole record).
import { open, readFile } from "node:fs/promises";
import { StoreUnavailable } from "../errors.js";
import { decodeEvent } from "./codec.js";
import { listSegments, type Segment } from "./files.js";
import { unframe } from "./framing.js";
import { Mvcc } from "./mvcc.js";
import { readSnapshot } from "./snapshot.js";

export interface Recovered {
  mvcc: Mvcc;
  /** Log records replayed on top of the snapshot (drives the next snapshot). */
  replayed: number;
  segments: Segment[];
}

export async function recover(dir: string, warn: (message: string) => void): Promise<Recovered> {
  const snapshot = await readSnapshot(dir);
  const mvcc = new Mvcc({ revision: snapshot?.revision ?? 0, kvs: snapshot?.kvs });
  const segments = await listSegments(dir);
  let replayed = 0;
  for (let i = 0; i < segments.length; i++) {
    replayed += await replaySegment(mvcc, { segment: segments[i], last: i === segments.length - 1, warn });
  }
  mvcc.committed = mvcc.head;
  return { mvcc, replayed, segments };
}

interface ReplayOptions {
  segment: Segment;
  last: boolean;
  warn: (message: string) => void;
}

async function replaySegment(mvcc: Mvcc, options: ReplayOptions): Promise<number> {
  const { file } = options.segment;
  const buf = await readFile(file);
  const { payloads, validLength, problem } = unframe(buf);
  let replayed = 0;
  for (const [index, payload] of payloads.entries()) {
    const entry = decodeEvent(payload);
    if (typeof entry === "string") throw damaged(file, `record ${index}: ${entry}`);
    if (entry.revision <= mvcc.head) continue; // already in the snapshot
    if (entry.revision !== mvcc.head + 1) {
      throw damaged(file, `record ${index}: revision ${entry.revision} follows ${mvcc.head} (a gap)`);
    }
    if (entry.type === "put") {
      mvcc.put(entry.key, entry.value);
    } else {
      const current = mvcc.latest(entry.key);
      if (!current) throw damaged(file, `record ${index}: deletes ${entry.key}, which does not exist`);
      mvcc.delete(entry.key, current);
    }
    replayed++;
  }
  if (problem) {
    if (!options.last) throw damaged(file, problem);
    options.warn(
      `store log ${file}: ${problem}; dropping the last ${buf.length - validLength} bytes (an unacknowledged write cut short by a crash)`,
    );
    await truncateDurably(file, validLength);
  }
  return replayed;
}

/** The cut must reach the disk before new segments follow, or the garbage would reappear mid-log. */
async function truncateDurably(file: string, length: number): Promise<void> {
  const handle = await open(file, "r+");
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function damaged(file: string, why: string): StoreUnavailable {
  return new StoreUnavailable(`store log ${file}: ${why}`, { hint: "restore the data directory from a backup" });
}
