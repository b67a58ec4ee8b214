// kubectl's columns for the built-in kinds (the server-side printers of kube-apiserver).
import { arrayOf, getPath, isObject, str, stringMap, type JsonObject } from "../object.js";
import { accessModes, age, num, orNone } from "./format.js";

export interface Column {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  cell: (obj: JsonObject) => unknown;
}

export type Cell = (obj: JsonObject) => unknown;
export type Def = [name: string, cell: Cell, options?: { type?: string; priority?: number }];

export const p = (obj: JsonObject, ...path: string[]): unknown => getPath(obj, path);
export const s = (obj: JsonObject, ...path: string[]): string => str(getPath(obj, path)) ?? "";

export function build(defs: (now: number) => Def[]): (now: number) => Column[] {
  return (now) =>
    defs(now).map(([name, cell, o]) => ({ name, cell, type: o?.type ?? "string", priority: o?.priority ?? 0, format: name === "Name" ? "name" : undefined }));
}

export const name: Def = ["Name", (o) => s(o, "metadata", "name")];
export const ageOf = (now: number): Def => ["Age", (o) => age(now, p(o, "metadata", "creationTimestamp"))];

function podStatus(o: JsonObject): string {
  if (p(o, "metadata", "deletionTimestamp") !== undefined) return "Terminating";
  for (const c of arrayOf(p(o, "status", "containerStatuses"))) {
    const reason = isObject(c) ? (str(getPath(c, ["state", "waiting", "reason"])) ?? str(getPath(c, ["state", "terminated", "reason"]))) : undefined;
    if (reason) return reason;
  }
  return s(o, "status", "reason") || s(o, "status", "phase") || "Pending";
}

function podReady(o: JsonObject): string {
  const total = arrayOf(p(o, "spec", "containers")).length;
  const ready = arrayOf(p(o, "status", "containerStatuses")).filter((c) => isObject(c) && c.ready === true).length;
  return `${ready}/${total}`;
}

function restarts(o: JsonObject): number {
  return arrayOf(p(o, "status", "containerStatuses")).reduce<number>((sum, c) => sum + (isObject(c) ? num(c.restartCount) : 0), 0);
}

export function containerField(field: "name" | "image", ...path: string[]): Cell {
  return (o) => arrayOf(getPath(o, path)).map((c) => (isObject(c) ? str(c[field]) : "")).join(",");
}

export function selector(o: JsonObject): string {
  const labels = stringMap(p(o, "spec", "selector", "matchLabels")) ?? stringMap(p(o, "spec", "selector")) ?? {};
  return orNone(Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(","));
}

function servicePorts(o: JsonObject): string {
  const ports = arrayOf(p(o, "spec", "ports")).filter(isObject);
  return orNone(ports.map((x) => `${String(x.port)}${x.nodePort ? `:${String(x.nodePort)}` : ""}/${str(x.protocol) ?? "TCP"}`).join(","));
}

function externalIp(o: JsonObject): string {
  const ingress = arrayOf(p(o, "status", "loadBalancer", "ingress")).filter(isObject).map((i) => str(i.ip) ?? str(i.hostname) ?? "");
  const ips = [...arrayOf(p(o, "spec", "externalIPs")).map(String), ...ingress].filter((x) => x !== "");
  if (ips.length > 0) return ips.join(",");
  return s(o, "spec", "type") === "LoadBalancer" ? "<pending>" : "<none>";
}

function nodeStatus(o: JsonObject): string {
  const ready = arrayOf(p(o, "status", "conditions")).find((c) => isObject(c) && c.type === "Ready");
  const base = isObject(ready) && ready.status === "True" ? "Ready" : isObject(ready) ? "NotReady" : "Unknown";
  return p(o, "spec", "unschedulable") === true ? `${base},SchedulingDisabled` : base;
}

function nodeRoles(o: JsonObject): string {
  const labels = stringMap(p(o, "metadata", "labels")) ?? {};
  const roles = Object.keys(labels).filter((k) => k.startsWith("node-role.kubernetes.io/")).map((k) => k.slice("node-role.kubernetes.io/".length));
  return orNone(roles.join(","));
}

function jobStatus(o: JsonObject): string {
  const conds = arrayOf(p(o, "status", "conditions")).filter((c) => isObject(c) && c.status === "True");
  for (const t of ["Complete", "Failed", "Suspended"]) if (conds.some((c) => isObject(c) && c.type === t)) return t;
  return "Running";
}

function dataCount(o: JsonObject): number {
  return Object.keys(isObject(o.data) ? o.data : {}).length + Object.keys(isObject(o.binaryData) ? o.binaryData : {}).length;
}

export const int = { type: "integer" };

/** The wide columns of every kind with a pod template (kubectl's -o wide). */
const podTemplateColumns: Def[] = [
  ["Containers", containerField("name", "spec", "template", "spec", "containers"), { priority: 1 }],
  ["Images", containerField("image", "spec", "template", "spec", "containers"), { priority: 1 }],
  ["Selector", selector, { priority: 1 }],
];

/** ReplicaSets and ReplicationControllers print alike in kubectl. */
export const replicaSetColumns = build((now) => [
  name,
  ["Desired", (o) => num(p(o, "spec", "replicas")), int],
  ["Current", (o) => num(p(o, "status", "replicas")), int],
  ["Ready", (o) => num(p(o, "status", "readyReplicas")), int],
  ageOf(now),
  ...podTemplateColumns,
]);

export const BUILTIN_COLUMNS: Record<string, (now: number) => Column[]> = {
  "/Pod": build((now) => [
    name,
    ["Ready", podReady],
    ["Status", podStatus],
    ["Restarts", restarts, int],
    ageOf(now),
    ["IP", (o) => orNone(s(o, "status", "podIP")), { priority: 1 }],
    ["Node", (o) => orNone(s(o, "spec", "nodeName")), { priority: 1 }],
    ["Nominated Node", (o) => orNone(s(o, "status", "nominatedNodeName")), { priority: 1 }],
    ["Readiness Gates", () => "<none>", { priority: 1 }],
  ]),
  "/Service": build((now) => [
    name,
    ["Type", (o) => s(o, "spec", "type")],
    ["Cluster-IP", (o) => orNone(s(o, "spec", "clusterIP"))],
    ["External-IP", externalIp],
    ["Port(s)", servicePorts],
    ageOf(now),
    ["Selector", selector, { priority: 1 }],
  ]),
  "/Namespace": build((now) => [name, ["Status", (o) => s(o, "status", "phase")], ageOf(now)]),
  "/Node": build((now) => [
    name,
    ["Status", nodeStatus],
    ["Roles", nodeRoles],
    ageOf(now),
    ["Version", (o) => s(o, "status", "nodeInfo", "kubeletVersion")],
  ]),
  "/ConfigMap": build((now) => [name, ["Data", dataCount, int], ageOf(now)]),
  "/Secret": build((now) => [name, ["Type", (o) => s(o, "type")], ["Data", dataCount, int], ageOf(now)]),
  "/Event": build((now) => [
    ["Last Seen", (o) => age(now, p(o, "lastTimestamp") ?? p(o, "eventTime") ?? p(o, "metadata", "creationTimestamp"))],
    ["Type", (o) => s(o, "type")],
    ["Reason", (o) => s(o, "reason")],
    ["Object", (o) => `${s(o, "involvedObject", "kind").toLowerCase()}/${s(o, "involvedObject", "name")}`],
    ["Message", (o) => s(o, "message")],
  ]),
  "/PersistentVolume": build((now) => [
    name,
    ["Capacity", (o) => s(o, "spec", "capacity", "storage")],
    ["Access Modes", (o) => accessModes(p(o, "spec", "accessModes"))],
    ["Reclaim Policy", (o) => s(o, "spec", "persistentVolumeReclaimPolicy")],
    ["Status", (o) => (p(o, "metadata", "deletionTimestamp") !== undefined ? "Terminating" : s(o, "status", "phase"))],
    ["Claim", (o) => (s(o, "spec", "claimRef", "name") ? `${s(o, "spec", "claimRef", "namespace")}/${s(o, "spec", "claimRef", "name")}` : "")],
    ["StorageClass", (o) => s(o, "spec", "storageClassName")],
    ["VolumeAttributesClass", () => "<unset>"],
    ["Reason", (o) => s(o, "status", "reason")],
    ageOf(now),
  ]),
  "/PersistentVolumeClaim": build((now) => [
    name,
    ["Status", (o) => (p(o, "metadata", "deletionTimestamp") !== undefined ? "Terminating" : s(o, "status", "phase"))],
    ["Volume", (o) => s(o, "spec", "volumeName")],
    ["Capacity", (o) => s(o, "status", "capacity", "storage")],
    ["Access Modes", (o) => accessModes(p(o, "status", "accessModes"))],
    ["StorageClass", (o) => s(o, "spec", "storageClassName")],
    ["VolumeAttributesClass", () => "<unset>"],
    ageOf(now),
  ]),
  "apps/Deployment": build((now) => [
    name,
    ["Ready", (o) => `${num(p(o, "status", "readyReplicas"))}/${num(p(o, "spec", "replicas"))}`],
    ["Up-to-date", (o) => num(p(o, "status", "updatedReplicas")), int],
    ["Available", (o) => num(p(o, "status", "availableReplicas")), int],
    ageOf(now),
    ...podTemplateColumns,
  ]),
  "apps/ReplicaSet": replicaSetColumns,
  "apps/StatefulSet": build((now) => [
    name,
    ["Ready", (o) => `${num(p(o, "status", "readyReplicas"))}/${num(p(o, "spec", "replicas"))}`],
    ageOf(now),
    ["Containers", containerField("name", "spec", "template", "spec", "containers"), { priority: 1 }],
    ["Images", containerField("image", "spec", "template", "spec", "containers"), { priority: 1 }],
  ]),
  "apps/DaemonSet": build((now) => [
    name,
    ["Desired", (o) => num(p(o, "status", "desiredNumberScheduled")), int],
    ["Current", (o) => num(p(o, "status", "currentNumberScheduled")), int],
    ["Ready", (o) => num(p(o, "status", "numberReady")), int],
    ["Up-to-date", (o) => num(p(o, "status", "updatedNumberScheduled")), int],
    ["Available", (o) => num(p(o, "status", "numberAvailable")), int],
    ["Node Selector", (o) => orNone(Object.entries(stringMap(p(o, "spec", "template", "spec", "nodeSelector")) ?? {}).map(([k, v]) => `${k}=${v}`).join(","))],
    ageOf(now),
  ]),
  "batch/Job": build((now) => [
    name,
    ["Status", jobStatus],
    ["Completions", (o) => `${num(p(o, "status", "succeeded"))}/${num(p(o, "spec", "completions")) || 1}`],
    ["Duration", (o) => (p(o, "status", "startTime") ? age(Date.parse(s(o, "status", "completionTime")) || now, p(o, "status", "startTime")) : "")],
    ageOf(now),
  ]),
  "batch/CronJob": build((now) => [
    name,
    ["Schedule", (o) => s(o, "spec", "schedule")],
    ["Timezone", (o) => orNone(s(o, "spec", "timeZone"))],
    ["Suspend", (o) => p(o, "spec", "suspend") === true, { type: "boolean" }],
    ["Active", (o) => arrayOf(p(o, "status", "active")).length, int],
    ["Last Schedule", (o) => (p(o, "status", "lastScheduleTime") ? age(now, p(o, "status", "lastScheduleTime")) : "<none>")],
    ageOf(now),
  ]),
  "apiextensions.k8s.io/CustomResourceDefinition": build(() => [name, ["Created At", (o) => s(o, "metadata", "creationTimestamp"), { type: "date" }]]),
};
