// Binary payloads of log and snapshot records. Revisions use 6 bytes (2^48 writes is plenty);
// strings are UTF-8 and the value runs to the end of the payload.
import type { KeyValue, WatchEvent } from "../types.js";

const PUT = 1;
const DELETE = 2;
const SNAPSHOT_KV = 3;

export interface LogEntry {
  type: "put" | "delete";
  revision: number;
  key: string;
  value: string;
}

export function encodeEvent(event: WatchEvent): Buffer {
  const key = Buffer.from(event.kv.key, "utf8");
  const valueLength = event.type === "put" ? Buffer.byteLength(event.kv.value, "utf8") : 0;
  const out = Buffer.allocUnsafe(11 + key.length + valueLength);
  out.writeUInt8(event.type === "put" ? PUT : DELETE, 0);
  out.writeUIntLE(event.kv.modRevision, 1, 6);
  out.writeUInt32LE(key.length, 7);
  key.copy(out, 11);
  if (valueLength > 0) out.write(event.kv.value, 11 + key.length, "utf8");
  return out;
}

/** Decodes one log payload; a payload that does not parse is reported by the caller. */
export function decodeEvent(payload: Buffer): LogEntry | string {
  if (payload.length < 11) return `record too short (${payload.length} bytes)`;
  const tag = payload.readUInt8(0);
  if (tag !== PUT && tag !== DELETE) return `unknown record type ${tag}`;
  const keyLength = payload.readUInt32LE(7);
  if (11 + keyLength > payload.length) return `key length ${keyLength} overruns the record`;
  return {
    type: tag === PUT ? "put" : "delete",
    revision: payload.readUIntLE(1, 6),
    key: payload.toString("utf8", 11, 11 + keyLength),
    value: payload.toString("utf8", 11 + keyLength),
  };
}

export function encodeKv(kv: KeyValue): Buffer {
  const key = Buffer.from(kv.key, "utf8");
  const valueLength = Buffer.byteLength(kv.value, "utf8");
  const out = Buffer.allocUnsafe(23 + key.length + valueLength);
  out.writeUInt8(SNAPSHOT_KV, 0);
  out.writeUIntLE(kv.modRevision, 1, 6);
  out.writeUIntLE(kv.createRevision, 7, 6);
  out.writeUIntLE(kv.version, 13, 6);
  out.writeUInt32LE(key.length, 19);
  key.copy(out, 23);
  out.write(kv.value, 23 + key.length, "utf8");
  return out;
}

export function decodeKv(payload: Buffer): KeyValue | string {
  if (payload.length < 23 || payload.readUInt8(0) !== SNAPSHOT_KV) return "not a key-value record";
  const keyLength = payload.readUInt32LE(19);
  if (23 + keyLength > payload.length) return `key length ${keyLength} overruns the record`;
  return {
    key: payload.toString("utf8", 23, 23 + keyLength),
    value: payload.toString("utf8", 23 + keyLength),
    createRevision: payload.readUIntLE(7, 6),
    modRevision: payload.readUIntLE(1, 6),
    version: payload.readUIntLE(13, 6),
  };
}
