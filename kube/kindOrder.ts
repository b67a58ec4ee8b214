// Kubernetes kinds in the order to create them (and the reverse-ish order to delete them),
// after Helm's pkg/releaseutil/kind_sorter.go (as of Helm 3.18, which added PriorityClass and
// the webhook configurations). One order for charts, plain `berth apply` and the GitOps sync.
// Kinds not in the list go last, grouped alphabetically by kind.

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

/** Orders two kinds by `order`; 0 for the same kind (callers break ties). */
export function compareKinds(a: string, b: string, order: readonly string[]): number {
  const ra = rankOf(order, a);
  const rb = rankOf(order, b);
  if (ra !== rb) {
    if (ra === undefined) return 1;
    if (rb === undefined) return -1;
    return ra - rb;
  }
  if (ra === undefined && a !== b) return a < b ? -1 : 1;
  return 0;
}

const ranks = new WeakMap<readonly string[], Map<string, number>>();

function rankOf(order: readonly string[], kind: string): number | undefined {
  let rank = ranks.get(order);
  if (rank === undefined) {
    rank = new Map(order.map((k, i) => [k, i]));
    ranks.set(order, rank);
  }
  return rank.get(kind);
}
