// The system ClusterRoles and ClusterRoleBindings: what every user may ask about itself and
// discovery, and least-privilege roles for berth's own components (simulated nodes, scheduler,
// controllers, GitOps controller), each bound to the identity its client certificate carries.
import { READ, ALL_VERBS, rule, urlRule, withSubs } from "./rules.js";
import type { ClusterRoleSpec } from "./userRoles.js";

const EVENTS = [rule(["create", "patch", "update"], "", ["events"]), rule(["create", "patch", "update"], "events.k8s.io", ["events"])];

const NODE_RULES = [
  rule([...READ, "create", "update", "patch", "delete"], "", ["nodes"]),
  rule(["patch", "update"], "", ["nodes/status"]),
  rule([...READ, "create", "delete"], "", ["pods"]),
  rule(["patch", "update"], "", ["pods/status"]),
  rule(["create"], "", ["pods/eviction", "serviceaccounts/token"]),
  rule(READ, "", ["configmaps", "secrets", "services", "endpoints", "persistentvolumeclaims", "persistentvolumes"]),
  rule(["get", "create", "update", "patch", "delete"], "coordination.k8s.io", ["leases"]),
  rule(READ, "storage.k8s.io", ["storageclasses", "csinodes", "csidrivers"]),
  rule(READ, "node.k8s.io", ["runtimeclasses"]),
  ...EVENTS,
];

const SCHEDULER_RULES = [
  rule(READ, "", ["nodes", "namespaces", "services", "replicationcontrollers", "persistentvolumes"]),
  rule([...READ, "delete"], "", ["pods"]),
  rule(["create"], "", ["bindings", "pods/binding"]),
  rule(["patch", "update"], "", ["pods/status"]),
  rule([...READ, "update", "patch"], "", ["persistentvolumeclaims", "persistentvolumes"]),
  rule(READ, "apps", ["replicasets", "statefulsets"]),
  rule(READ, "policy", ["poddisruptionbudgets"]),
  rule(READ, "storage.k8s.io", ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities"]),
  rule(READ, "scheduling.k8s.io", ["priorityclasses"]),
  rule(["create"], "coordination.k8s.io", ["leases"]),
  rule(["get", "update", "patch"], "coordination.k8s.io", ["leases"]),
  ...EVENTS,
];

const CONTROLLER_RULES = [
  rule(ALL_VERBS, "apps", withSubs(["deployments", "replicasets", "statefulsets", "daemonsets"], ["status", "scale", "finalizers"])),
  rule(ALL_VERBS, "apps", ["controllerrevisions"]),
  rule(ALL_VERBS, "batch", withSubs(["jobs", "cronjobs"], ["status", "finalizers"])),
  rule(ALL_VERBS, "", [...withSubs(["pods", "services", "persistentvolumeclaims", "persistentvolumes", "replicationcontrollers"], ["status", "finalizers"]), "endpoints"]),
  rule(["create"], "", ["pods/eviction", "pods/binding", "bindings"]),
  rule([...READ, "update", "patch", "delete"], "", withSubs(["nodes"], ["status"])),
  rule([...READ, "update", "patch", "delete"], "", ["namespaces", "namespaces/status", "namespaces/finalize"]),
  rule(READ, "", ["configmaps", "secrets", "serviceaccounts", "resourcequotas", "limitranges"]),
  // system:controller:service-account-controller and system:controller:root-ca-cert-publisher.
  rule(["create"], "", ["serviceaccounts"]),
  rule(["create", "update"], "", ["configmaps"]),
  rule(ALL_VERBS, "discovery.k8s.io", ["endpointslices"]),
  rule(ALL_VERBS, "storage.k8s.io", ["storageclasses"]),
  rule(READ, "scheduling.k8s.io", ["priorityclasses"]),
  rule(READ, "policy", ["poddisruptionbudgets"]),
  rule(["get", "create", "update", "patch", "delete", "list", "watch"], "coordination.k8s.io", ["leases"]),
  ...EVENTS,
];

/** Namespaced rights of the GitOps controller: bind per namespace with a RoleBinding. */
const GITOPS_NAMESPACE_RULES = [
  rule(ALL_VERBS, "berth.dev", withSubs(["applications"], ["status", "finalizers"])),
  rule(ALL_VERBS, "", ["configmaps", "secrets", "services", "serviceaccounts", "persistentvolumeclaims", "pods", "endpoints", "replicationcontrollers"]),
  rule(ALL_VERBS, "apps", ["deployments", "replicasets", "statefulsets", "daemonsets", "controllerrevisions"]),
  rule(ALL_VERBS, "batch", ["jobs", "cronjobs"]),
  rule(ALL_VERBS, "networking.k8s.io", ["ingresses", "networkpolicies"]),
  rule(ALL_VERBS, "policy", ["poddisruptionbudgets"]),
  rule(ALL_VERBS, "autoscaling", ["horizontalpodautoscalers"]),
  rule(ALL_VERBS, "discovery.k8s.io", ["endpointslices"]),
  rule(ALL_VERBS, "coordination.k8s.io", ["leases"]),
  ...EVENTS,
];

/** Cluster-wide rights it needs wherever it deploys: watch Applications, register its CRD. */
const GITOPS_CLUSTER_RULES = [
  rule([...READ, "update", "patch"], "berth.dev", withSubs(["applications"], ["status", "finalizers"])),
  // create: the CreateNamespace=true sync option (Argo never deletes such namespaces; neither do we).
  rule([...READ, "create"], "", ["namespaces"]),
  rule(["get", "list", "watch", "create", "update", "patch"], "apiextensions.k8s.io", ["customresourcedefinitions"]),
  rule(["create"], "coordination.k8s.io", ["leases"]),
  rule(["get", "update", "patch"], "coordination.k8s.io", ["leases"]),
  ...EVENTS,
];

const DISCOVERY_URLS = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/version", "/version/", "/openapi", "/openapi/*"];
const PUBLIC_URLS = ["/healthz", "/livez", "/readyz", "/version", "/version/"];

export const SYSTEM_ROLES: ClusterRoleSpec[] = [
  {
    name: "system:basic-user",
    rules: [rule(["create"], "authorization.k8s.io", ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]), rule(["create"], "authentication.k8s.io", ["selfsubjectreviews"])],
  },
  { name: "system:discovery", rules: [urlRule(["get"], DISCOVERY_URLS)] },
  // For delegated authentication and authorization (webhooks, aggregated servers); bound to nobody.
  { name: "system:auth-delegator", rules: [rule(["create"], "authentication.k8s.io", ["tokenreviews"]), rule(["create"], "authorization.k8s.io", ["subjectaccessreviews"])] },
  { name: "system:public-info-viewer", rules: [urlRule(["get"], PUBLIC_URLS)] },
  { name: "system:node", rules: NODE_RULES },
  { name: "system:kube-scheduler", rules: SCHEDULER_RULES },
  { name: "system:kube-controller-manager", rules: CONTROLLER_RULES },
  { name: "berth:gitops-controller", rules: GITOPS_NAMESPACE_RULES },
  { name: "berth:gitops-controller:cluster", rules: GITOPS_CLUSTER_RULES },
];

export interface BindingSpec {
  name: string;
  role: string;
  subjects: { kind: "User" | "Group"; name: string }[];
}

export const GITOPS_CONTROLLER_USER = "system:berth:gitops-controller";

export const SYSTEM_BINDINGS: BindingSpec[] = [
  { name: "cluster-admin", role: "cluster-admin", subjects: [{ kind: "Group", name: "system:masters" }] },
  { name: "system:basic-user", role: "system:basic-user", subjects: [{ kind: "Group", name: "system:authenticated" }] },
  { name: "system:discovery", role: "system:discovery", subjects: [{ kind: "Group", name: "system:authenticated" }] },
  {
    name: "system:public-info-viewer",
    role: "system:public-info-viewer",
    subjects: [{ kind: "Group", name: "system:authenticated" }, { kind: "Group", name: "system:unauthenticated" }],
  },
  // Kubernetes leaves system:node unbound (its Node authorizer scopes each kubelet); berth has
  // no Node authorizer, so the group of node certificates holds the role.
  { name: "system:node", role: "system:node", subjects: [{ kind: "Group", name: "system:nodes" }] },
  { name: "system:kube-scheduler", role: "system:kube-scheduler", subjects: [{ kind: "User", name: "system:kube-scheduler" }] },
  { name: "system:kube-controller-manager", role: "system:kube-controller-manager", subjects: [{ kind: "User", name: "system:kube-controller-manager" }] },
  { name: "berth:gitops-controller:cluster", role: "berth:gitops-controller:cluster", subjects: [{ kind: "User", name: GITOPS_CONTROLLER_USER }] },
];
