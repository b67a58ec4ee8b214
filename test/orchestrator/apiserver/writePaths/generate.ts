// Seeded random objects for comparing the write fast paths with the slow paths they replace:
// realistic objects of a few kinds, and mutations of them that hit the awkward cases (keyed
// list items duplicated, keys of the wrong type, set lists, unknown fields, wrong JSON types,
// numbers for quantities, an own "__proto__" key).
import type { JsonObject } from "../../../../orchestrator/apiserver/object.js";

export { pick, seededRandom as seeded, type Random } from "../../../../core/random.js";
import { pick, type Random } from "../../../../core/random.js";

const KEYS = ["name", "value", "image", "type", "status", "containerPort", "port", "protocol", "bogus", "labels", "env", "ports", "containers", "conditions", "finalizers", "data", "spec", "x", "y", "a.b/c", "__proto__", "0", "10", "9", "requests", "limits", "cpu", "memory", "a\nf:b", "a\tb", "a"];
const STRINGS = ["", "a", "main", "nginx:1.25", "True", "False", "Ready", "TCP", "y", "1", "500m", "64Mi", "node-1"];

export function randomValue(rnd: Random, depth = 0): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.45) return pick<unknown>(rnd, [pick(rnd, STRINGS), Math.floor(rnd() * 100), rnd() < 0.5, null, 1.5, -3]);
  if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
  const out: JsonObject = {};
  for (let i = Math.floor(rnd() * 4); i > 0; i--) defineKey(out, pick(rnd, KEYS), randomValue(rnd, depth + 1));
  return out;
}

/** Sets a key as JSON.parse would: an own property even for "__proto__". */
export function defineKey(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function pod(i: number): JsonObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `pod-${i}`, namespace: "default", labels: { app: "web", shard: String(i % 3) }, annotations: { note: "x" }, finalizers: ["a/b"], ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u-1", controller: true }] },
    spec: {
      containers: [
        { name: "main", image: "nginx:1.25", ports: [{ containerPort: 80, protocol: "TCP" }], env: [{ name: "A", value: "1" }, { name: "B", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }], resources: { requests: { cpu: "100m" }, limits: { memory: "64Mi" } }, args: ["--a", "--b"] },
        { name: "side", image: "busybox", volumeMounts: [{ name: "data", mountPath: "/data" }] },
      ],
      volumes: [{ name: "data", emptyDir: { sizeLimit: "1Gi" } }],
      tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule" }],
      nodeSelector: { disk: "ssd" },
      restartPolicy: "Always",
    },
    status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: "2025-01-01T00:00:00Z" }] },
  };
}

export function deployment(i: number): JsonObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: `web-${i}`, namespace: "default", labels: { app: "web" } },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } }, template: { metadata: { labels: { app: "web" } }, spec: (pod(i).spec as JsonObject) } },
  };
}

export function node(i: number): JsonObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: `node-${i}`, labels: { "kubernetes.io/hostname": `node-${i}` } },
    spec: { podCIDR: "10.0.0.0/24", taints: [{ key: "k", effect: "NoSchedule" }] },
    status: { capacity: { cpu: "4", memory: "8Gi", pods: 110 }, conditions: [{ type: "Ready", status: "True" }], addresses: [{ type: "InternalIP", address: "10.0.0.1" }] },
  };
}

export function lease(i: number): JsonObject {
  return { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: `node-${i}`, namespace: "kube-node-lease" }, spec: { holderIdentity: `node-${i}`, leaseDurationSeconds: 40, renewTime: "2025-01-01T00:00:00.000000Z" } };
}

interface Spot {
  parent: JsonObject | unknown[];
  key: string | number;
}

function spots(v: unknown, out: Spot[]): Spot[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push({ parent: v, key: i });
      spots(x, out);
    });
  } else if (typeof v === "object" && v !== null) {
    for (const k of Object.keys(v)) {
      out.push({ parent: v as JsonObject, key: k });
      spots((v as JsonObject)[k], out);
    }
  }
  return out;
}

function set(s: Spot, value: unknown): void {
  if (Array.isArray(s.parent)) s.parent[Number(s.key)] = value;
  else defineKey(s.parent, String(s.key), value);
}

function get(s: Spot): unknown {
  return Array.isArray(s.parent) ? s.parent[Number(s.key)] : s.parent[String(s.key)];
}

/** One random edit somewhere in obj (in place). */
export function mutate(rnd: Random, obj: JsonObject): void {
  const all = spots(obj, []);
  if (all.length === 0) return;
  const s = pick(rnd, all);
  const v = get(s);
  const op = rnd();
  if (op < 0.25) set(s, typeof v === "string" ? pick(rnd, STRINGS) : typeof v === "number" ? v + 1 : typeof v === "boolean" ? !v : randomValue(rnd));
  else if (op < 0.4) {
    if (Array.isArray(s.parent)) s.parent.splice(Number(s.key), 1);
    else delete s.parent[String(s.key)];
  } else if (op < 0.55 && typeof v === "object" && v !== null && !Array.isArray(v)) defineKey(v as JsonObject, pick(rnd, KEYS), randomValue(rnd));
  else if (op < 0.75 && Array.isArray(v) && v.length > 0) {
    const which = rnd();
    if (which < 0.15) v.push(structuredClone(v[0])); // a duplicate keyed item
    else if (which < 0.3) v.push(typeof v[0] === "object" && v[0] !== null ? { ...structuredClone(v[0]), value: pick(rnd, STRINGS), status: pick(rnd, STRINGS) } : v[0]); // a duplicate key, other content
    else if (which < 0.5) v.reverse();
    else if (which < 0.7) v.push({ name: pick(rnd, STRINGS), type: pick(rnd, STRINGS), containerPort: Math.floor(rnd() * 3) });
    else if (which < 0.85 && typeof v[0] === "object" && v[0] !== null) (v[0] as JsonObject).name = { nested: "key" }; // a key that is not a scalar
    else v.push(pick(rnd, STRINGS));
  } else set(s, randomValue(rnd));
}

/** A copy with some managedFields written the way toFieldsV1 never would (keys out of order, junk). */
export function scrambleManaged(rnd: Random, obj: JsonObject): void {
  const m = obj.metadata as JsonObject | undefined;
  const entries = Array.isArray(m?.managedFields) ? (m.managedFields as JsonObject[]) : [];
  for (const e of entries) {
    const fields = e.fieldsV1;
    if (typeof fields !== "object" || fields === null) continue;
    const r = rnd();
    if (r < 0.2) e.fieldsV1 = reverseKeys(fields);
    else if (r < 0.3) (fields as JsonObject)["f:junk"] = true;
    else if (r < 0.4) (fields as JsonObject)["f:a\nf:b"] = {};
    else if (r < 0.5) e.fieldsType = "Other";
    else if (r < 0.55) e.operation = "Bogus";
  }
  if (rnd() < 0.2) entries.push({ manager: 3 } as unknown as JsonObject);
}

function reverseKeys(v: unknown): unknown {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).reverse()) defineKey(out, k, reverseKeys((v as JsonObject)[k]));
  return out;
}
