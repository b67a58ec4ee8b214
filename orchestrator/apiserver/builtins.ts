// The built-in kinds the server serves, with kubectl's short names and categories, so
// `kubectl get po`, `kubectl get all` and `kubectl api-resources` behave as on Kubernetes.
import type { ResourceInfo, Verb } from "./types.js";

const ALL_VERBS: Verb[] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

interface Spec {
  kind: string;
  resource?: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  verbs?: Verb[];
}

function define(group: string, version: string, specs: Spec[]): ResourceInfo[] {
  return specs.map((s) => {
    const info: ResourceInfo = {
      group,
      version,
      kind: s.kind,
      listKind: `${s.kind}List`,
      resource: s.resource ?? `${s.kind.toLowerCase()}s`,
      singular: s.kind.toLowerCase(),
      namespaced: s.namespaced ?? true,
      verbs: s.verbs ?? ALL_VERBS,
    };
    if (s.shortNames) info.shortNames = s.shortNames;
    if (s.categories) info.categories = s.categories;
    if (s.subresources) info.subresources = s.subresources;
    return info;
  });
}

const ALL = ["all"];

export const BUILTIN_RESOURCES: readonly ResourceInfo[] = [
  ...define("", "v1", [
    { kind: "Binding", resource: "bindings", verbs: ["create"] },
    { kind: "ConfigMap", shortNames: ["cm"] },
    { kind: "Endpoints", resource: "endpoints", shortNames: ["ep"] },
    { kind: "Event", shortNames: ["ev"] },
    { kind: "Namespace", namespaced: false, shortNames: ["ns"], subresources: ["status", "finalize"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] },
    { kind: "Node", namespaced: false, shortNames: ["no"], subresources: ["status"] },
    { kind: "PersistentVolumeClaim", shortNames: ["pvc"], subresources: ["status"] },
    { kind: "PersistentVolume", namespaced: false, shortNames: ["pv"], subresources: ["status"] },
    { kind: "ReplicationController", shortNames: ["rc"], categories: ALL, subresources: ["status", "scale"] },
    { kind: "ResourceQuota", shortNames: ["quota"], subresources: ["status"] },
    { kind: "LimitRange", shortNames: ["limits"] },
    { kind: "Pod", shortNames: ["po"], categories: ALL, subresources: ["status", "binding"] },
    { kind: "Secret" },
    { kind: "ServiceAccount", shortNames: ["sa"] },
    { kind: "Service", shortNames: ["svc"], categories: ALL, subresources: ["status"] },
  ]),
  ...define("apps", "v1", [
    { kind: "ControllerRevision" },
    { kind: "DaemonSet", shortNames: ["ds"], categories: ALL, subresources: ["status"] },
    { kind: "Deployment", shortNames: ["deploy"], categories: ALL, subresources: ["status", "scale"] },
    { kind: "ReplicaSet", shortNames: ["rs"], categories: ALL, subresources: ["status", "scale"] },
    { kind: "StatefulSet", shortNames: ["sts"], categories: ALL, subresources: ["status", "scale"] },
  ]),
  ...define("batch", "v1", [
    { kind: "CronJob", shortNames: ["cj"], categories: ALL, subresources: ["status"] },
    { kind: "Job", categories: ALL, subresources: ["status"] },
  ]),
  ...define("rbac.authorization.k8s.io", "v1", [
    { kind: "ClusterRoleBinding", namespaced: false },
    { kind: "ClusterRole", namespaced: false },
    { kind: "RoleBinding" },
    { kind: "Role" },
  ]),
  ...define("storage.k8s.io", "v1", [{ kind: "StorageClass", resource: "storageclasses", namespaced: false, shortNames: ["sc"] }]),
  ...define("coordination.k8s.io", "v1", [{ kind: "Lease" }]),
  ...define("networking.k8s.io", "v1", [
    { kind: "Ingress", resource: "ingresses", shortNames: ["ing"], subresources: ["status"] },
    { kind: "IngressClass", resource: "ingressclasses", namespaced: false },
    { kind: "NetworkPolicy", resource: "networkpolicies", shortNames: ["netpol"] },
  ]),
  ...define("scheduling.k8s.io", "v1", [{ kind: "PriorityClass", resource: "priorityclasses", namespaced: false, shortNames: ["pc"] }]),
  ...define("discovery.k8s.io", "v1", [{ kind: "EndpointSlice" }]),
  ...define("apiextensions.k8s.io", "v1", [
    { kind: "CustomResourceDefinition", namespaced: false, shortNames: ["crd", "crds"], categories: ["api-extensions"], subresources: ["status"] },
  ]),
];
