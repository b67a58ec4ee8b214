// File names and small fs helpers of a data directory:
//   LOCK                        pid of the process that has the store open
//   snapshot.bin                all live keys as of one revision (replaced atomically)
//   wal-<first revision>.log    log segments, each holding revisions after the previous one's
import { open, readdir, type FileHandle } from "node:fs/promises";
import path from "node:path";

export const SNAPSHOT_FILE = "snapshot.bin";
export const SNAPSHOT_TEMP = "snapshot.bin.tmp";
export const LOCK_FILE = "LOCK";

export function segmentName(firstRevision: number): string {
  return `wal-${String(firstRevision).padStart(16, "0")}.log`;
}

export interface Segment {
  file: string;
  firstRevision: number;
}

/** Log segments in revision order. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const segments: Segment[] = [];
  for (const name of await readdir(dir)) {
    const match = /^wal-(\d{16})\.log$/.exec(name);
    if (match) segments.push({ file: path.join(dir, name), firstRevision: Number(match[1]) });
  }
  return segments.sort((a, b) => a.firstRevision - b.firstRevision);
}

/** Makes a create, rename or unlink in dir durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeAll(handle: FileHandle, buf: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await handle.write(buf, offset, buf.length - offset);
    offset += bytesWritten;
  }
}

export function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && "code" in err && err.code === code;
}
