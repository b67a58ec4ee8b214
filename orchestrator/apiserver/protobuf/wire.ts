// The protobuf wire format: a buffer as a sequence of (field number, wire type, value).
import { badRequest } from "../errors.js";

export interface WireField {
  no: number;
  wire: number;
  /** Varint value (wire type 0). */
  int(): bigint;
  /** Length-delimited or fixed-width payload (wire types 1, 2, 5). */
  bytes(): Buffer;
  /** A packed run of varints (wire type 2) as fields of their own. */
  packed(): WireField[];
}

function readVarint(buf: Buffer, pos: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos.i >= buf.length) throw badRequest("protobuf: truncated varint");
    const b = buf[pos.i++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
    if (shift > 70n) throw badRequest("protobuf: varint too long");
  }
}

function field(no: number, wire: number, int: bigint, bytes: Buffer): WireField {
  return {
    no,
    wire,
    int: () => int,
    bytes: () => bytes,
    packed: () => {
      const out: WireField[] = [];
      const pos = { i: 0 };
      while (pos.i < bytes.length) out.push(field(no, 0, readVarint(bytes, pos), Buffer.alloc(0)));
      return out;
    },
  };
}

function take(buf: Buffer, pos: { i: number }, len: number): Buffer {
  if (pos.i + len > buf.length) throw badRequest("protobuf: truncated field");
  const out = buf.subarray(pos.i, pos.i + len);
  pos.i += len;
  return out;
}

export function readFields(buf: Buffer): WireField[] {
  const out: WireField[] = [];
  const pos = { i: 0 };
  const empty = Buffer.alloc(0);
  while (pos.i < buf.length) {
    const tag = readVarint(buf, pos);
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) out.push(field(no, wire, readVarint(buf, pos), empty));
    else if (wire === 2) out.push(field(no, wire, 0n, take(buf, pos, Number(readVarint(buf, pos)))));
    else if (wire === 1) out.push(field(no, wire, 0n, take(buf, pos, 8)));
    else if (wire === 5) out.push(field(no, wire, 0n, take(buf, pos, 4)));
    else throw badRequest(`protobuf: unsupported wire type ${wire}`);
  }
  return out;
}
