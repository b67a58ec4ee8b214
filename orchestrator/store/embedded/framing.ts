// Record framing shared by the log and snapshots: [u32 length][u32 crc32(payload)][payload],
// little-endian. A reader stops at the first record that is cut short or fails its checksum;
// everything before it is intact.
import { crc32 } from "node:zlib";

export const FRAME_HEADER = 8;
/** No legitimate record comes near this; a larger length means the header itself is garbage. */
const MAX_PAYLOAD = 256 * 1024 * 1024;

export function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, FRAME_HEADER);
  return out;
}

export interface Unframed {
  payloads: Buffer[];
  /** Bytes of `buf` holding whole, valid records. */
  validLength: number;
  /** Why reading stopped before the end of `buf`, if it did. */
  problem?: string;
}

export function unframe(buf: Buffer): Unframed {
  const payloads: Buffer[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (buf.length - offset < FRAME_HEADER) {
      return { payloads, validLength: offset, problem: `torn record header at byte ${offset}` };
    }
    const length = buf.readUInt32LE(offset);
    const expected = buf.readUInt32LE(offset + 4);
    if (length === 0 || length > MAX_PAYLOAD) {
      return { payloads, validLength: offset, problem: `bad record length ${length} at byte ${offset}` };
    }
    const end = offset + FRAME_HEADER + length;
    if (end > buf.length) {
      return { payloads, validLength: offset, problem: `torn record at byte ${offset} (${length} bytes, file ends first)` };
    }
    const payload = buf.subarray(offset + FRAME_HEADER, end);
    const actual = crc32(payload);
    if (actual !== expected) {
      return { payloads, validLength: offset, problem: `checksum mismatch at byte ${offset} (expected ${hex(expected)}, got ${hex(actual)})` };
    }
    payloads.push(payload);
    offset = end;
  }
  return { payloads, validLength: offset };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}
