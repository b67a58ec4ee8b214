// kubectl's columns for the kinds beyond the workloads: RBAC, networking, scheduling, quotas,
// service accounts, replication controllers, leases and the like (kube-apiserver's printers).
import { arrayOf, isObject, str, stringMap, type JsonObject } from "../object.js";
import { ageOf, build, int, name, p, replicaSetColumns, s, type Column, type Def } from "./columns.js";
import { num, orNone } from "./format.js";

const createdAt: Def = ["Created At", (o) => s(o, "metadata", "creationTimestamp"), { type: "date" }];

function subjects(kind: string): (o: JsonObject) => string {
  return (o) => arrayOf(p(o, "subjects")).filter(isObject).filter((x) => x.kind === kind)
    .map((x) => (kind === "ServiceAccount" ? `${str(x.namespace) ?? ""}/${str(x.name) ?? ""}` : (str(x.name) ?? ""))).join(", ");
}

function binding(now: number): Def[] {
  return [
    name,
    ["Role", (o) => `${s(o, "roleRef", "kind")}/${s(o, "roleRef", "name")}`],
    ageOf(now),
    ["Users", subjects("User"), { priority: 1 }],
    ["Groups", subjects("Group"), { priority: 1 }],
    ["ServiceAccounts", subjects("ServiceAccount"), { priority: 1 }],
  ];
}

function ingressHosts(o: JsonObject): string {
  const hosts = arrayOf(p(o, "spec", "rules")).filter(isObject).map((r) => str(r.host) ?? "*");
  return hosts.length === 0 ? "*" : hosts.join(",");
}

function ingressAddress(o: JsonObject): string {
  return arrayOf(p(o, "status", "loadBalancer", "ingress")).filter(isObject).map((i) => str(i.ip) ?? str(i.hostname) ?? "").join(",");
}

/** "pods: 1/2, services: 0/5" over the hard limits of one kind (requests or limits). */
function quotaUsage(limits: boolean): (o: JsonObject) => string {
  return (o) => {
    const hard = stringMap(p(o, "status", "hard")) ?? stringMap(p(o, "spec", "hard")) ?? {};
    const used = stringMap(p(o, "status", "used")) ?? {};
    return Object.keys(hard).sort().filter((k) => k.startsWith("limits.") === limits)
      .map((k) => `${k}: ${used[k] ?? "0"}/${hard[k]}`).join(", ");
  };
}

export const MORE_COLUMNS: Record<string, (now: number) => Column[]> = {
  "/ServiceAccount": build((now) => [name, ["Secrets", (o) => arrayOf(p(o, "secrets")).length, int], ageOf(now)]),
  "/ReplicationController": replicaSetColumns,
  "/ResourceQuota": build((now) => [name, ageOf(now), ["Request", quotaUsage(false)], ["Limit", quotaUsage(true)]]),
  "/LimitRange": build(() => [name, createdAt]),
  "rbac.authorization.k8s.io/Role": build(() => [name, createdAt]),
  "rbac.authorization.k8s.io/ClusterRole": build(() => [name, createdAt]),
  "rbac.authorization.k8s.io/RoleBinding": build(binding),
  "rbac.authorization.k8s.io/ClusterRoleBinding": build(binding),
  "networking.k8s.io/Ingress": build((now) => [
    name,
    ["Class", (o) => orNone(s(o, "spec", "ingressClassName"))],
    ["Hosts", ingressHosts],
    ["Address", ingressAddress],
    ["Ports", (o) => (arrayOf(p(o, "spec", "tls")).length > 0 ? "80, 443" : "80")],
    ageOf(now),
  ]),
  "networking.k8s.io/IngressClass": build((now) => [name, ["Controller", (o) => s(o, "spec", "controller")], ["Parameters", (o) => orNone(s(o, "spec", "parameters", "name"))], ageOf(now)]),
  "networking.k8s.io/NetworkPolicy": build((now) => [name, ["Pod-Selector", (o) => orNone(Object.entries(stringMap(p(o, "spec", "podSelector", "matchLabels")) ?? {}).map(([k, v]) => `${k}=${v}`).join(","))], ageOf(now)]),
  "scheduling.k8s.io/PriorityClass": build((now) => [
    name,
    ["Value", (o) => num(p(o, "value")), int],
    ["Global-Default", (o) => p(o, "globalDefault") === true, { type: "boolean" }],
    ageOf(now),
    ["PreemptionPolicy", (o) => s(o, "preemptionPolicy")],
  ]),
  "coordination.k8s.io/Lease": build((now) => [name, ["Holder", (o) => s(o, "spec", "holderIdentity")], ageOf(now)]),
  "storage.k8s.io/StorageClass": build((now) => [
    ["Name", (o) => `${s(o, "metadata", "name")}${isDefaultClass(o) ? " (default)" : ""}`],
    ["Provisioner", (o) => s(o, "provisioner")],
    ["ReclaimPolicy", (o) => s(o, "reclaimPolicy")],
    ["VolumeBindingMode", (o) => s(o, "volumeBindingMode")],
    ["AllowVolumeExpansion", (o) => p(o, "allowVolumeExpansion") === true, { type: "boolean" }],
    ageOf(now),
  ]),
};

function isDefaultClass(o: JsonObject): boolean {
  const annotations = stringMap(p(o, "metadata", "annotations")) ?? {};
  return annotations["storageclass.kubernetes.io/is-default-class"] === "true" || annotations["storageclass.beta.kubernetes.io/is-default-class"] === "true";
}
