// Snapshots: every live key as of one revision, framed and checksummed like the log, between a
// header and a trailer that counts the records. Written to a temp file, fsynced, then renamed
// over the previous one, so a crash leaves either the old snapshot or the new one.
import { open, readFile, rename } from "node:fs/promises";
import path from "node:path";
import type { KeyValue } from "../types.js";
import { StoreUnavailable } from "../errors.js";
import { decodeKv, encodeKv } from "./codec.js";
import { isErrno, SNAPSHOT_FILE, SNAPSHOT_TEMP, syncDir, writeAll } from "./files.js";
import { frame, unframe } from "./framing.js";

const FORMAT = 1;
const CHUNK = 1 << 20;

export interface SnapshotData {
  revision: number;
  kvs: KeyValue[];
}

export async function writeSnapshot(dir: string, data: SnapshotData): Promise<void> {
  const temp = path.join(dir, SNAPSHOT_TEMP);
  const handle = await open(temp, "w");
  try {
    let chunk: Buffer[] = [frame(Buffer.from(JSON.stringify({ format: FORMAT, revision: data.revision })))];
    let size = chunk[0].length;
    for (const kv of data.kvs) {
      const record = frame(encodeKv(kv));
      chunk.push(record);
      size += record.length;
      if (size >= CHUNK) {
        await writeAll(handle, Buffer.concat(chunk));
        chunk = [];
        size = 0;
      }
    }
    chunk.push(frame(Buffer.from(JSON.stringify({ end: data.kvs.length }))));
    await writeAll(handle, Buffer.concat(chunk));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path.join(dir, SNAPSHOT_FILE));
  await syncDir(dir);
}

/** Reads the snapshot; undefined when there is none. A damaged one is an error, never skipped. */
export async function readSnapshot(dir: string): Promise<SnapshotData | undefined> {
  const file = path.join(dir, SNAPSHOT_FILE);
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return undefined;
    throw new StoreUnavailable(`${file}: cannot read snapshot: ${String(err)}`, { cause: err });
  }
  const damaged = (why: string): StoreUnavailable =>
    new StoreUnavailable(`${file}: damaged snapshot: ${why}`, { hint: "restore the data directory from a backup" });
  const { payloads, problem } = unframe(buf);
  if (problem) throw damaged(problem);
  const header = parseJson(payloads[0]);
  const trailer = parseJson(payloads[payloads.length - 1]);
  if (!header || header.format !== FORMAT || typeof header.revision !== "number") throw damaged("bad header");
  if (payloads.length < 2 || !trailer || trailer.end !== payloads.length - 2) throw damaged("missing or wrong trailer");
  const kvs: KeyValue[] = [];
  for (let i = 1; i < payloads.length - 1; i++) {
    const kv = decodeKv(payloads[i]);
    if (typeof kv === "string") throw damaged(`record ${i}: ${kv}`);
    kvs.push(kv);
  }
  return { revision: header.revision, kvs };
}

function parseJson(payload: Buffer | undefined): Record<string, unknown> | undefined {
  if (!payload) return undefined;
  try {
    const value: unknown = JSON.parse(payload.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : undefined;
  } catch {
    return undefined;
  }
}
