// Messages whose JSON form is not an object of their fields: times are RFC 3339 strings,
// quantities and int-or-strings are scalars, raw extensions and FieldsV1 are embedded JSON.
import { badRequest } from "../errors.js";
import { readFields } from "./wire.js";

export type WellKnown = { handled: false } | { handled: true; value: unknown };

function ints(buf: Buffer): Map<number, bigint> {
  const out = new Map<number, bigint>();
  for (const f of readFields(buf)) if (f.wire === 0) out.set(f.no, BigInt.asIntN(64, f.int()));
  return out;
}

function firstBytes(buf: Buffer, no: number): Buffer | undefined {
  return readFields(buf).find((f) => f.no === no && f.wire === 2)?.bytes();
}

/** A zero time is Go's nil time: omitted, as JSON writes null for it. */
function rfc3339(buf: Buffer, micro: boolean): string | undefined {
  const v = ints(buf);
  const seconds = v.get(1) ?? 0n;
  const nanos = v.get(2) ?? 0n;
  if (seconds === 0n && nanos === 0n) return undefined;
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return micro ? `${base}.${String(Number(nanos) / 1000).padStart(6, "0")}Z` : `${base}Z`;
}

/** Go's time.Duration String(): "1h2m3s", "1.5s", "0s". */
function goDuration(nanos: bigint): string {
  if (nanos === 0n) return "0s";
  const sign = nanos < 0n ? "-" : "";
  let n = nanos < 0n ? -nanos : nanos;
  const h = n / 3_600_000_000_000n;
  n %= 3_600_000_000_000n;
  const m = n / 60_000_000_000n;
  n %= 60_000_000_000n;
  const s = Number(n) / 1e9;
  return `${sign}${h > 0n ? `${h}h` : ""}${h > 0n || m > 0n ? `${m}m` : ""}${s}s`;
}

function embeddedJson(raw: Buffer | undefined): unknown {
  if (!raw || raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw badRequest("protobuf: an embedded object is not JSON");
  }
}

export function decodeWellKnown(message: string, buf: Buffer): WellKnown {
  switch (message) {
    case "meta.v1.Time":
      return { handled: true, value: rfc3339(buf, false) };
    case "meta.v1.MicroTime":
      return { handled: true, value: rfc3339(buf, true) };
    case "meta.v1.Duration":
      return { handled: true, value: goDuration(ints(buf).get(1) ?? 0n) };
    case "resource.Quantity":
      return { handled: true, value: firstBytes(buf, 1)?.toString("utf8") ?? "0" };
    case "intstr.IntOrString": {
      const v = ints(buf);
      if ((v.get(1) ?? 0n) === 1n) return { handled: true, value: firstBytes(buf, 3)?.toString("utf8") ?? "" };
      return { handled: true, value: Number(v.get(2) ?? 0n) };
    }
    case "runtime.RawExtension":
    case "meta.v1.FieldsV1":
      return { handled: true, value: embeddedJson(firstBytes(buf, 1)) };
    default:
      return { handled: false };
  }
}
