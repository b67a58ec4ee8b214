// Helm's install and uninstall order by kind (pkg/releaseutil/kind_sorter.go, as of Helm 3.18,
// which added PriorityClass and the webhook configurations). Kinds not in
// the list go last, grouped alphabetically by kind; within a kind, by template name, and
// the sort is stable so documents of one template keep their order.
import type { Manifest } from "./types.js";

export const INSTALL_ORDER: readonly string[] = [
  "PriorityClass",
  "Namespace",
  "NetworkPolicy",
  "ResourceQuota",
  "LimitRange",
  "PodSecurityPolicy",
  "PodDisruptionBudget",
  "ServiceAccount",
  "Secret",
  "SecretList",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleList",
  "ClusterRoleBinding",
  "ClusterRoleBindingList",
  "Role",
  "RoleList",
  "RoleBinding",
  "RoleBindingList",
  "Service",
  "DaemonSet",
  "Pod",
  "ReplicationController",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
];

export const UNINSTALL_ORDER: readonly string[] = [
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "APIService",
  "Ingress",
  "IngressClass",
  "Service",
  "CronJob",
  "Job",
  "StatefulSet",
  "HorizontalPodAutoscaler",
  "Deployment",
  "ReplicaSet",
  "ReplicationController",
  "Pod",
  "DaemonSet",
  "RoleBindingList",
  "RoleBinding",
  "RoleList",
  "Role",
  "ClusterRoleBindingList",
  "ClusterRoleBinding",
  "ClusterRoleList",
  "ClusterRole",
  "CustomResourceDefinition",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "StorageClass",
  "ConfigMap",
  "SecretList",
  "Secret",
  "ServiceAccount",
  "PodDisruptionBudget",
  "PodSecurityPolicy",
  "LimitRange",
  "ResourceQuota",
  "NetworkPolicy",
  "Namespace",
  "PriorityClass",
];

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByKind<T extends Manifest>(manifests: readonly T[], order: readonly string[]): T[] {
  const rank = new Map(order.map((kind, i) => [kind, i]));
  return [...manifests].sort((a, b) => {
    const ra = rank.get(a.kind);
    const rb = rank.get(b.kind);
    if (ra !== rb) {
      if (ra === undefined) return 1;
      if (rb === undefined) return -1;
      return ra - rb;
    }
    if (ra === undefined && a.kind !== b.kind) return compareText(a.kind, b.kind);
    return compareText(a.source, b.source);
  });
}

export function sortForInstall<T extends Manifest>(manifests: readonly T[]): T[] {
  return sortByKind(manifests, INSTALL_ORDER);
}

export function sortForUninstall<T extends Manifest>(manifests: readonly T[]): T[] {
  return sortByKind(manifests, UNINSTALL_ORDER);
}

/** Helm's hook order: by weight, then resource name; kinds in install order break ties. */
export function sortHooks<T extends Manifest>(hooks: readonly T[]): T[] {
  return sortForInstall(hooks).sort((a, b) => {
    const wa = a.hook?.weight ?? 0;
    const wb = b.hook?.weight ?? 0;
    return wa !== wb ? wa - wb : compareText(a.name, b.name);
  });
}
