// Cluster IP and NodePort allocation for Services, done where creates and updates are
// admitted, like kube-apiserver's service registry (pkg/registry/core/service/ipallocator and
// portallocator). The allocation state is derived from the Services in the store on every
// write, so it survives restarts with nothing extra to persist, and writes of Services are
// serialised per storage so two creates can never take the same IP or port. (Several API
// servers sharing one etcd would need the allocation in the store itself; berth runs one.)
import type { ApiEnv } from "../context.js";
import { fieldCause, InvalidError, type StatusCause } from "../errors.js";
import { arrayOf, getPath, isObject, meta, str, type JsonObject } from "../object.js";
import type { ObjectStorage } from "../storage.js";
import type { ResourceInfo } from "../types.js";

export const SERVICE_CIDR = "10.96.0.0/16";
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
/** The first host address is kept for default/kubernetes, as kube-apiserver does. */
const KUBERNETES_SERVICE = "default/kubernetes";

export interface Cidr {
  text: string;
  base: number;
  size: number;
}

export function parseIPv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function parseCidr(text: string): Cidr {
  const [ip, bitsText] = text.split("/");
  const base = parseIPv4(ip ?? "");
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new RangeError(`invalid service CIDR ${JSON.stringify(text)}`);
  const size = 2 ** (32 - bits);
  return { text, base: base - (base % size), size };
}

export type Allocation<T> = { ok: true; value: T } | { ok: false; message: string };

export interface IPRequest {
  cidr: Cidr;
  used: ReadonlySet<string>;
  /** The IP the client asked for, if any. */
  requested?: string;
  /** True for default/kubernetes, which owns the first host address. */
  kubernetesService: boolean;
}

/** Requested IPs are checked; otherwise the lowest free address (network, .1 and broadcast excluded). */
export function allocateClusterIP(req: IPRequest): Allocation<string> {
  const first = formatIPv4(req.cidr.base + 1);
  if (req.requested !== undefined) {
    const n = parseIPv4(req.requested);
    if (n === undefined) return { ok: false, message: `must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)` };
    const offset = n - req.cidr.base;
    if (offset <= 0 || offset >= req.cidr.size - 1) {
      return { ok: false, message: `failed to allocate IP ${req.requested}: the provided IP (${req.requested}) is not in the valid range. The range of valid IPs is ${req.cidr.text}` };
    }
    if (req.used.has(req.requested) || (req.requested === first && !req.kubernetesService)) {
      return { ok: false, message: `failed to allocate IP ${req.requested}: provided IP is already allocated` };
    }
    return { ok: true, value: req.requested };
  }
  if (req.kubernetesService && !req.used.has(first)) return { ok: true, value: first };
  for (let offset = 2; offset < req.cidr.size - 1; offset++) {
    const ip = formatIPv4(req.cidr.base + offset);
    if (!req.used.has(ip)) return { ok: true, value: ip };
  }
  return { ok: false, message: `failed to allocate a serviceIP: range is full` };
}

export interface PortRequest {
  used: ReadonlySet<number>;
  requested?: number;
  min?: number;
  max?: number;
}

export function allocateNodePort(req: PortRequest): Allocation<number> {
  const min = req.min ?? NODE_PORT_MIN;
  const max = req.max ?? NODE_PORT_MAX;
  if (req.requested !== undefined) {
    if (!Number.isInteger(req.requested) || req.requested < min || req.requested > max) {
      return { ok: false, message: `provided port is not in the valid range. The range of valid ports is ${min}-${max}` };
    }
    if (req.used.has(req.requested)) return { ok: false, message: `provided port is already allocated` };
    return { ok: true, value: req.requested };
  }
  for (let p = min; p <= max; p++) if (!req.used.has(p)) return { ok: true, value: p };
  return { ok: false, message: `range is full` };
}

export interface ServiceUsage {
  ips: Set<string>;
  nodePorts: Set<number>;
}

function keyOf(svc: JsonObject): string {
  return `${str(getPath(svc, ["metadata", "namespace"])) ?? ""}/${str(getPath(svc, ["metadata", "name"])) ?? ""}`;
}

/** IPs and node ports held by every Service except `exceptKey`. */
export function usageOf(services: JsonObject[], exceptKey?: string): ServiceUsage {
  const usage: ServiceUsage = { ips: new Set(), nodePorts: new Set() };
  for (const svc of services) {
    if (keyOf(svc) === exceptKey) continue;
    const spec = getPath(svc, ["spec"]);
    if (!isObject(spec)) continue;
    for (const ip of [spec.clusterIP, ...arrayOf(spec.clusterIPs)]) if (typeof ip === "string" && ip !== "" && ip !== "None") usage.ips.add(ip);
    for (const p of arrayOf(spec.ports)) if (isObject(p) && typeof p.nodePort === "number") usage.nodePorts.add(p.nodePort);
  }
  return usage;
}

const locks = new WeakMap<ObjectStorage, Promise<unknown>>();

export function isServiceResource(info: Pick<ResourceInfo, "group" | "resource" | "custom">): boolean {
  return info.group === "" && info.resource === "services" && !info.custom;
}

/** Runs fn alone among Service writes on this storage; other resources run at once. */
export async function serializeServiceWrites<T>(env: ApiEnv, info: ResourceInfo, fn: () => Promise<T>): Promise<T> {
  if (!isServiceResource(info)) return fn();
  const previous = locks.get(env.storage) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  locks.set(env.storage, run.catch(() => undefined));
  return run;
}

async function currentUsage(env: ApiEnv, info: ResourceInfo, exceptKey: string): Promise<ServiceUsage> {
  const page = await env.storage.list(info);
  return usageOf(page.items, exceptKey);
}

const NEEDS_IP = new Set(["ClusterIP", "NodePort", "LoadBalancer"]);
const NEEDS_NODE_PORT = new Set(["NodePort", "LoadBalancer"]);

/** Fills spec.clusterIP(s) and node ports of a Service being created; 422 when taken or invalid. */
export async function admitServiceCreate(env: ApiEnv, info: ResourceInfo, obj: JsonObject): Promise<void> {
  if (!isServiceResource(info)) return;
  const usage = await currentUsage(env, info, keyOf(obj));
  assign(obj, usage, undefined);
}

/** Keeps allocated values across updates, allocates for new needs, drops what the type no longer has. */
export async function admitServiceUpdate(env: ApiEnv, info: ResourceInfo, old: JsonObject, obj: JsonObject): Promise<void> {
  if (!isServiceResource(info)) return;
  const usage = await currentUsage(env, info, keyOf(obj));
  assign(obj, usage, old);
}

function assign(obj: JsonObject, usage: ServiceUsage, old: JsonObject | undefined): void {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const oldSpec = old && isObject(old.spec) ? old.spec : undefined;
  const type = str(spec.type) ?? "ClusterIP";
  const causes: StatusCause[] = [];
  causes.push(...assignClusterIP(spec, oldSpec, { usage, type, kubernetes: keyOf(obj) === KUBERNETES_SERVICE }));
  causes.push(...assignNodePorts(spec, oldSpec, { usage, type }));
  if (causes.length > 0) throw new InvalidError("Service", str(meta(obj).name) ?? "", causes);
}

function requestedIP(spec: JsonObject): string | undefined {
  const ip = str(spec.clusterIP) ?? str(arrayOf(spec.clusterIPs)[0]);
  return ip === "" ? undefined : ip;
}

function assignClusterIP(spec: JsonObject, oldSpec: JsonObject | undefined, c: { usage: ServiceUsage; type: string; kubernetes: boolean }): StatusCause[] {
  if (!NEEDS_IP.has(c.type)) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    return [];
  }
  const previous = oldSpec ? requestedIP(oldSpec) : undefined;
  const wanted = requestedIP(spec);
  if (previous !== undefined && NEEDS_IP.has(str(oldSpec?.type) ?? "ClusterIP")) {
    if (wanted !== undefined && wanted !== previous) return [fieldCause("FieldValueInvalid", "spec.clusterIPs[0]", `Invalid value: ${JSON.stringify(wanted)}: may not change once set`)];
    spec.clusterIP = previous;
    spec.clusterIPs = [previous];
    return [];
  }
  if (wanted === "None") {
    spec.clusterIP = "None";
    spec.clusterIPs = ["None"];
    return [];
  }
  const result = allocateClusterIP({ cidr: parseCidr(SERVICE_CIDR), used: c.usage.ips, requested: wanted, kubernetesService: c.kubernetes });
  if (!result.ok) return [fieldCause("FieldValueInvalid", "spec.clusterIPs", `Invalid value: ${JSON.stringify([wanted ?? ""])}: ${result.message}`)];
  spec.clusterIP = result.value;
  spec.clusterIPs = [result.value];
  return [];
}

function portKey(p: JsonObject): string {
  return `${String(p.port)}/${str(p.protocol) ?? "TCP"}`;
}

function assignNodePorts(spec: JsonObject, oldSpec: JsonObject | undefined, c: { usage: ServiceUsage; type: string }): StatusCause[] {
  const ports = arrayOf(spec.ports).filter(isObject);
  if (!NEEDS_NODE_PORT.has(c.type)) {
    for (const p of ports) delete p.nodePort;
    return [];
  }
  const kept = new Map<string, number>();
  if (oldSpec && NEEDS_NODE_PORT.has(str(oldSpec.type) ?? "")) {
    for (const p of arrayOf(oldSpec.ports)) if (isObject(p) && typeof p.nodePort === "number") kept.set(portKey(p), p.nodePort);
  }
  const mine = new Map<number, Set<string>>();
  const causes: StatusCause[] = [];
  ports.forEach((p, i) => {
    const protocol = str(p.protocol) ?? "TCP";
    const requested = typeof p.nodePort === "number" && p.nodePort !== 0 ? p.nodePort : kept.get(portKey(p));
    const sameService = requested !== undefined ? mine.get(requested) : undefined;
    if (sameService?.has(protocol)) {
      causes.push(fieldCause("FieldValueDuplicate", `spec.ports[${i}].nodePort`, `Duplicate value: ${String(requested)}`));
      return;
    }
    if (sameService && requested !== undefined) {
      // One node port may serve the same port number over two protocols (DNS over TCP and UDP).
      p.nodePort = requested;
      sameService.add(protocol);
      return;
    }
    const result = allocateNodePort({ used: new Set([...c.usage.nodePorts, ...mine.keys()]), requested });
    if (!result.ok) {
      causes.push(fieldCause("FieldValueInvalid", `spec.ports[${i}].nodePort`, `Invalid value: ${String(requested ?? 0)}: ${result.message}`));
      return;
    }
    p.nodePort = result.value;
    mine.set(result.value, new Set([...(mine.get(result.value) ?? []), protocol]));
  });
  return causes;
}
