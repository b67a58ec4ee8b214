// kubectl's typed commands (`create namespace`, `create configmap`, `create secret`, …) send
// bodies as Kubernetes protobuf. We decode the envelope and the few kinds those commands
// send; other kinds get a 415, after which clients use JSON.
import { unsupportedMediaType, badRequest } from "./errors.js";
import { isObject, type JsonObject } from "./object.js";

export const PROTOBUF = "application/vnd.kubernetes.protobuf";
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  no: number;
  wire: number;
  value: bigint | Buffer;
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
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const tag = Number(readVarint(buf, pos));
    const no = tag >> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ no, wire, value: readVarint(buf, pos) });
    else if (wire === 2) {
      const len = Number(readVarint(buf, pos));
      if (pos.i + len > buf.length) throw badRequest("protobuf: truncated field");
      out.push({ no, wire, value: buf.subarray(pos.i, pos.i + len) });
      pos.i += len;
    } else if (wire === 1) pos.i += 8;
    else if (wire === 5) pos.i += 4;
    else throw badRequest(`protobuf: unsupported wire type ${wire}`);
  }
  return out;
}

type Kind = "string" | "bytes" | "bool" | "int" | "strings" | "map" | "bytesMap" | Schema;
interface Schema {
  [no: number]: [name: string, kind: Kind];
}

const OBJECT_META: Schema = {
  1: ["name", "string"],
  2: ["generateName", "string"],
  3: ["namespace", "string"],
  6: ["resourceVersion", "string"],
  11: ["labels", "map"],
  12: ["annotations", "map"],
  14: ["finalizers", "strings"],
};

const REF: Schema = { 1: ["name", "string"] };

const KINDS: Record<string, Schema> = {
  Namespace: { 1: ["metadata", OBJECT_META], 2: ["spec", { 1: ["finalizers", "strings"] }] },
  ConfigMap: { 1: ["metadata", OBJECT_META], 2: ["data", "map"], 3: ["binaryData", "bytesMap"], 4: ["immutable", "bool"] },
  Secret: { 1: ["metadata", OBJECT_META], 2: ["data", "bytesMap"], 3: ["type", "string"], 4: ["stringData", "map"], 5: ["immutable", "bool"] },
  ServiceAccount: { 1: ["metadata", OBJECT_META], 3: ["imagePullSecrets", { 1: ["name", "string"] }], 4: ["automountServiceAccountToken", "bool"] },
  Binding: { 1: ["metadata", OBJECT_META], 2: ["target", { ...REF, 2: ["kind", "string"], 3: ["namespace", "string"] }] },
};

function decodeMessage(buf: Buffer, schema: Schema): JsonObject {
  const out: JsonObject = {};
  for (const f of fields(buf)) {
    const entry = schema[f.no];
    if (!entry) continue;
    const [name, kind] = entry;
    const bytes = Buffer.isBuffer(f.value) ? f.value : Buffer.alloc(0);
    // Go writes empty optional strings; JSON clients would have omitted them.
    if (kind === "string") {
      if (bytes.length > 0) out[name] = bytes.toString("utf8");
    }
    else if (kind === "bytes") out[name] = bytes.toString("base64");
    else if (kind === "bool") out[name] = f.value === 1n;
    else if (kind === "int") out[name] = typeof f.value === "bigint" ? Number(f.value) : 0;
    else if (kind === "strings") out[name] = [...(Array.isArray(out[name]) ? out[name] : []), bytes.toString("utf8")];
    else if (kind === "map" || kind === "bytesMap") {
      const kv = decodeMessage(bytes, { 1: ["k", "string"], 2: ["v", kind === "map" ? "string" : "bytes"] });
      const existing = out[name];
      const map: JsonObject = isObject(existing) ? existing : {};
      map[String(kv.k ?? "")] = kv.v ?? "";
      out[name] = map;
    } else {
      const value = decodeMessage(bytes, kind);
      out[name] = Array.isArray(out[name]) ? [...out[name], value] : name === "imagePullSecrets" ? [value] : value;
    }
  }
  return out;
}

/** Decodes a protobuf body into the JSON object it stands for. */
export function decodeProtobuf(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest("protobuf: missing the k8s envelope prefix");
  const unknown = decodeMessage(body.subarray(4), { 1: ["typeMeta", { 1: ["apiVersion", "string"], 2: ["kind", "string"] }], 2: ["raw", "bytes"] });
  const typeMeta = isObject(unknown.typeMeta) ? unknown.typeMeta : {};
  const kind = String(typeMeta.kind ?? "");
  const schema = KINDS[kind];
  if (!schema) throw unsupportedMediaType(`protobuf bodies are not supported for kind ${JSON.stringify(kind)}; send application/json`);
  const raw = Buffer.from(String(unknown.raw ?? ""), "base64");
  return { apiVersion: typeMeta.apiVersion, kind, ...decodeMessage(raw, schema) };
}
