// kubectl's typed commands (`create deployment`, `create job`, `run`, …) send bodies as
// Kubernetes protobuf: the "k8s\0" magic, a runtime.Unknown envelope naming apiVersion and
// kind, and the object as that kind's message. Messages are decoded by the generated field
// table in protobuf/messages.ts, so a kind is supported once its message is in the table.
import { badRequest, unsupportedMediaType } from "./errors.js";
import { isObject, type JsonObject } from "./object.js";
import { MESSAGES } from "./protobuf/messages.js";
import { readFields, type WireField } from "./protobuf/wire.js";
import { decodeWellKnown } from "./protobuf/wellKnown.js";

export const PROTOBUF = "application/vnd.kubernetes.protobuf";
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type FieldType = { scalar: string } | { message: string } | { map: [FieldType, FieldType] };

interface FieldSpec {
  name: string;
  type: FieldType;
  repeated: boolean;
}

type MessageSpec = Map<number, FieldSpec>;

// Pointer fields whose zero value means something (a default would differ): Go writes zero
// values of plain fields too, so every other zero scalar is dropped, as JSON's omitempty does.
const KEEP_ZERO = new Set([
  "apps.v1.DeploymentSpec.replicas", "apps.v1.StatefulSetSpec.replicas", "apps.v1.ReplicaSetSpec.replicas",
  "batch.v1.JobSpec.parallelism", "batch.v1.JobSpec.completions", "batch.v1.JobSpec.backoffLimit",
  "batch.v1.CronJobSpec.successfulJobsHistoryLimit", "batch.v1.CronJobSpec.failedJobsHistoryLimit",
  "core.v1.PodSpec.terminationGracePeriodSeconds", "core.v1.PodSpec.automountServiceAccountToken", "core.v1.PodSpec.enableServiceLinks",
  "core.v1.ServiceAccount.automountServiceAccountToken", "core.v1.ServiceSpec.allocateLoadBalancerNodePorts",
  "scheduling.v1.PriorityClass.value", "authentication.v1.TokenRequestSpec.expirationSeconds",
]);

// Go structs embedded with `json:",inline"`: protobuf nests them as a field, JSON flattens them.
const INLINE = new Set([
  "core.v1.Volume.volumeSource", "core.v1.Probe.handler", "core.v1.PersistentVolumeSpec.persistentVolumeSource",
  "core.v1.EphemeralContainer.ephemeralContainerCommon", "networking.v1.IngressRule.ingressRuleValue",
  "core.v1.ConfigMapEnvSource.localObjectReference", "core.v1.ConfigMapKeySelector.localObjectReference",
  "core.v1.ConfigMapProjection.localObjectReference", "core.v1.ConfigMapVolumeSource.localObjectReference",
  "core.v1.SecretEnvSource.localObjectReference", "core.v1.SecretKeySelector.localObjectReference",
  "core.v1.SecretProjection.localObjectReference",
]);

function parseType(text: string): FieldType {
  const map = /^map<([^,]+),(.+)>$/.exec(text);
  if (map) return { map: [parseType(map[1]), parseType(map[2])] };
  return text.length === 1 ? { scalar: text } : { message: text };
}

const parsedSpecs = new Map<string, MessageSpec>();

function specOf(message: string): MessageSpec | undefined {
  const cached = parsedSpecs.get(message);
  if (cached) return cached;
  const text = MESSAGES[message];
  if (text === undefined) return undefined;
  const spec: MessageSpec = new Map();
  for (const part of text.split("; ")) {
    const [no, name, type] = part.split(" ");
    const repeated = type.startsWith("[]");
    spec.set(Number(no), { name, repeated, type: parseType(repeated ? type.slice(2) : type) });
  }
  parsedSpecs.set(message, spec);
  return spec;
}

function scalarValue(kind: string, f: WireField): unknown {
  if (kind === "s") return f.bytes().toString("utf8");
  if (kind === "y") return f.bytes().toString("base64");
  if (kind === "b") return f.int() !== 0n;
  if (kind === "d") return f.bytes().readDoubleLE(0);
  if (kind === "f") return f.bytes().readFloatLE(0);
  return Number(BigInt.asIntN(64, f.int()));
}

function isZero(v: unknown): boolean {
  return v === "" || v === 0 || v === false;
}

function valueOf(type: FieldType, f: WireField): unknown {
  if ("scalar" in type) return scalarValue(type.scalar, f);
  if ("message" in type) return decodeMessage(type.message, f.bytes());
  const entry: JsonObject = {};
  for (const e of readFields(f.bytes())) {
    if (e.no === 1) entry.key = valueOf(type.map[0], e);
    else if (e.no === 2) entry.value = valueOf(type.map[1], e);
  }
  return entry;
}

/** Decodes one message by its table entry; a field the table lacks is a 400, never dropped data. */
export function decodeMessage(message: string, buf: Buffer): unknown {
  const special = decodeWellKnown(message, buf);
  if (special.handled) return special.value;
  const spec = specOf(message);
  if (!spec) throw unsupportedMediaType(`protobuf: message ${message} is not supported; send application/json`);
  const out: JsonObject = {};
  for (const f of readFields(buf)) {
    const field = spec.get(f.no);
    if (!field) throw badRequest(`protobuf: ${message} has no field ${f.no}`);
    // Packed repeated scalars (proto3 style) arrive as one length-delimited run.
    const values = field.repeated && "scalar" in field.type && f.wire === 2 && field.type.scalar !== "s" && field.type.scalar !== "y"
      ? f.packed().map((p) => scalarValue("scalar" in field.type ? field.type.scalar : "i", p))
      : [valueOf(field.type, f)];
    for (const value of values) addValue(out, `${message}.${field.name}`, field, value);
  }
  return out;
}

function addValue(out: JsonObject, path: string, field: FieldSpec, value: unknown): void {
  if (INLINE.has(path)) {
    if (isObject(value)) Object.assign(out, value);
    return;
  }
  if ("map" in field.type) {
    const current = out[field.name];
    const map: JsonObject = isObject(current) ? current : {};
    const entry: JsonObject = isObject(value) ? value : {};
    map[String(entry.key ?? "")] = entry.value ?? "";
    out[field.name] = map;
    return;
  }
  if (field.repeated) {
    const current = out[field.name];
    out[field.name] = [...(Array.isArray(current) ? current : []), value];
    return;
  }
  if (value === undefined || ("scalar" in field.type && isZero(value) && !KEEP_ZERO.has(path))) return;
  out[field.name] = value;
}

function packageOf(group: string): string {
  return group === "" ? "core" : group.split(".")[0];
}

/** Decodes a protobuf body into the JSON object it stands for. */
export function decodeProtobuf(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest("protobuf: missing the k8s envelope prefix");
  let apiVersion = "";
  let kind = "";
  let raw: Buffer = Buffer.alloc(0);
  for (const f of readFields(body.subarray(4))) {
    if (f.no === 2) raw = f.bytes();
    if (f.no !== 1) continue;
    for (const t of readFields(f.bytes())) {
      if (t.no === 1) apiVersion = t.bytes().toString("utf8");
      if (t.no === 2) kind = t.bytes().toString("utf8");
    }
  }
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const message = `${packageOf(group)}.${version}.${kind}`;
  if (MESSAGES[message] === undefined) throw unsupportedMediaType(`protobuf bodies are not supported for kind ${JSON.stringify(kind)}; send application/json`);
  const decoded = decodeMessage(message, raw);
  return { apiVersion, kind, ...(isObject(decoded) ? decoded : {}) };
}
