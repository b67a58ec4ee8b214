// The user-facing default ClusterRoles, as Kubernetes' bootstrap policy shapes them: admin, edit
// and view are aggregated (their rules are the union of ClusterRoles labelled
// aggregate-to-admin / -edit / -view), and view itself is labelled aggregate-to-edit and edit
// aggregate-to-admin, so admin ⊇ edit ⊇ view. cluster-admin holds everything.
import type { JsonObject } from "../../../apiserver/object.js";
import { ruleToJson, type PolicyRule } from "../policy.js";
import { ALL_VERBS, READ, rule, urlRule, withSubs, WRITE } from "./rules.js";

export const AGGREGATE_TO = (role: "admin" | "edit" | "view"): string => `rbac.authorization.k8s.io/aggregate-to-${role}`;

export interface ClusterRoleSpec {
  name: string;
  rules: PolicyRule[];
  labels?: Record<string, string>;
  /** Aggregate from ClusterRoles with these labels. */
  aggregateFrom?: Record<string, string>[];
}

const VIEW_RULES: PolicyRule[] = [
  rule(READ, "", [
    "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "pods/log", "pods/status",
    ...withSubs(["replicationcontrollers"], ["scale", "status"]), "serviceaccounts", "services", "services/status",
    "bindings", "events", "limitranges", "namespaces", "namespaces/status", "resourcequotas", "resourcequotas/status",
  ]),
  rule(READ, "apps", ["controllerrevisions", ...withSubs(["daemonsets"], ["status"]), ...withSubs(["deployments", "replicasets", "statefulsets"], ["scale", "status"])]),
  rule(READ, "autoscaling", withSubs(["horizontalpodautoscalers"], ["status"])),
  rule(READ, "batch", withSubs(["cronjobs", "jobs"], ["status"])),
  rule(READ, "policy", withSubs(["poddisruptionbudgets"], ["status"])),
  rule(READ, "networking.k8s.io", [...withSubs(["ingresses"], ["status"]), "networkpolicies"]),
  rule(READ, "discovery.k8s.io", ["endpointslices"]),
  rule(READ, "coordination.k8s.io", ["leases"]),
];

const EDIT_RULES: PolicyRule[] = [
  rule([...WRITE, "get", "list", "watch"], "", ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
  rule(["create"], "", ["pods/eviction", "serviceaccounts/token"]),
  rule(["impersonate"], "", ["serviceaccounts"]),
  rule([...WRITE, ...READ], "", ["configmaps", "endpoints", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"]),
  rule([...WRITE, ...READ], "apps", [...withSubs(["deployments"], ["rollback", "scale"]), ...withSubs(["replicasets", "statefulsets"], ["scale"]), "daemonsets"]),
  rule([...WRITE, ...READ], "autoscaling", ["horizontalpodautoscalers"]),
  rule([...WRITE, ...READ], "batch", ["cronjobs", "jobs"]),
  rule([...WRITE, ...READ], "policy", ["poddisruptionbudgets"]),
  rule([...WRITE, ...READ], "networking.k8s.io", ["ingresses", "networkpolicies"]),
  rule([...WRITE, ...READ], "discovery.k8s.io", ["endpointslices"]),
  rule([...WRITE, ...READ], "coordination.k8s.io", ["leases"]),
];

const ADMIN_RULES: PolicyRule[] = [
  rule(["create"], "authorization.k8s.io", ["localsubjectaccessreviews"]),
  rule([...WRITE, ...READ], "rbac.authorization.k8s.io", ["rolebindings", "roles"]),
];

const yes = (role: "admin" | "edit" | "view"): Record<string, string> => ({ [AGGREGATE_TO(role)]: "true" });

export const USER_ROLES: ClusterRoleSpec[] = [
  { name: "cluster-admin", rules: [rule(["*"], "*", ["*"]), urlRule(["*"], ["*"])] },
  { name: "admin", rules: [], aggregateFrom: [yes("admin")] },
  { name: "edit", rules: [], labels: yes("admin"), aggregateFrom: [yes("edit")] },
  { name: "view", rules: [], labels: yes("edit"), aggregateFrom: [yes("view")] },
  { name: "system:aggregate-to-admin", rules: ADMIN_RULES, labels: yes("admin") },
  { name: "system:aggregate-to-edit", rules: EDIT_RULES, labels: yes("edit") },
  { name: "system:aggregate-to-view", rules: VIEW_RULES, labels: yes("view") },
  // Applications of the GitOps controller: readable by viewers, writable by editors.
  { name: "berth:aggregate-applications-to-view", rules: [rule(READ, "berth.dev", withSubs(["applications"], ["status"]))], labels: yes("view") },
  { name: "berth:aggregate-applications-to-edit", rules: [rule(ALL_VERBS, "berth.dev", ["applications"])], labels: yes("edit") },
];

/** rbac/v1 JSON of a spec (without metadata beyond name and labels). */
export function clusterRoleJson(spec: ClusterRoleSpec, extra: { labels: Record<string, string>; annotations: Record<string, string> }): JsonObject {
  const obj: JsonObject = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: spec.name, labels: { ...extra.labels, ...spec.labels }, annotations: { ...extra.annotations } },
    rules: spec.rules.map(ruleToJson),
  };
  if (spec.aggregateFrom) obj.aggregationRule = { clusterRoleSelectors: spec.aggregateFrom.map((matchLabels) => ({ matchLabels })) };
  return obj;
}
