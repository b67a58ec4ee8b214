// Strategic-merge and list-type metadata of the built-in kinds. Kubernetes keeps it in Go
// struct tags (`patchStrategy`, `patchMergeKey`, `listType`) that no npm package ships, so
// it is listed here, per type and field, as in k8s.io/api; kubectl's client-side apply reads
// it from our OpenAPI documents to merge lists by key instead of replacing them.

export interface ListMeta {
  patchStrategy?: "merge" | "retainKeys" | "merge,retainKeys";
  patchMergeKey?: string;
  listType?: "atomic" | "set" | "map";
  listMapKeys?: string[];
}

const byName = (patchMergeKey: string, listMapKeys?: string[]): ListMeta => ({
  patchStrategy: "merge",
  patchMergeKey,
  ...(listMapKeys ? { listType: "map" as const, listMapKeys } : {}),
});
const conditions: ListMeta = { patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"] };
const atomic: ListMeta = { listType: "atomic" };

/** Keyed by the type's short name (no version) and JSON field name. */
export const PATCH_META: ReadonlyMap<string, ListMeta> = new Map<string, ListMeta>([
  ["ObjectMeta.finalizers", { patchStrategy: "merge", listType: "set" }],
  ["ObjectMeta.ownerReferences", { patchStrategy: "merge", patchMergeKey: "uid", listType: "map", listMapKeys: ["uid"] }],
  ["ObjectMeta.managedFields", atomic],
  ["PodSpec.volumes", { patchStrategy: "merge,retainKeys", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] }],
  ["PodSpec.initContainers", byName("name", ["name"])],
  ["PodSpec.containers", byName("name", ["name"])],
  ["PodSpec.ephemeralContainers", byName("name", ["name"])],
  ["PodSpec.imagePullSecrets", byName("name", ["name"])],
  ["PodSpec.hostAliases", byName("ip", ["ip"])],
  ["PodSpec.tolerations", atomic],
  ["PodSpec.topologySpreadConstraints", byName("topologyKey", ["topologyKey", "whenUnsatisfiable"])],
  ["PodSpec.readinessGates", atomic],
  ["PodSpec.resourceClaims", { patchStrategy: "merge,retainKeys", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] }],
  ["PodSpec.schedulingGates", byName("name", ["name"])],
  ["PodStatus.conditions", conditions],
  ["PodStatus.podIPs", byName("ip", ["ip"])],
  ["PodStatus.hostIPs", { patchStrategy: "merge", patchMergeKey: "ip", listType: "atomic" }],
  ["Container.ports", byName("containerPort", ["containerPort", "protocol"])],
  ["Container.env", byName("name", ["name"])],
  ["Container.volumeMounts", byName("mountPath", ["mountPath"])],
  ["Container.volumeDevices", byName("devicePath", ["devicePath"])],
  ["Container.resizePolicy", atomic],
  ["EphemeralContainer.ports", byName("containerPort", ["containerPort", "protocol"])],
  ["EphemeralContainer.env", byName("name", ["name"])],
  ["EphemeralContainer.volumeMounts", byName("mountPath", ["mountPath"])],
  ["EphemeralContainer.volumeDevices", byName("devicePath", ["devicePath"])],
  ["ServiceSpec.ports", byName("port", ["port", "protocol"])],
  ["ServiceSpec.clusterIPs", atomic],
  ["ServiceSpec.ipFamilies", atomic],
  ["ServiceStatus.conditions", conditions],
  ["ServiceAccount.secrets", byName("name", ["name"])],
  ["NodeSpec.podCIDRs", { patchStrategy: "merge", listType: "set" }],
  ["NodeStatus.conditions", conditions],
  ["NodeStatus.addresses", byName("type", ["type"])],
  ["NamespaceStatus.conditions", conditions],
  ["PersistentVolumeClaimStatus.conditions", conditions],
  ["ReplicationControllerStatus.conditions", conditions],
  ["DeploymentSpec.strategy", { patchStrategy: "retainKeys" }],
  ["DeploymentStatus.conditions", conditions],
  ["ReplicaSetStatus.conditions", conditions],
  ["DaemonSetStatus.conditions", conditions],
  ["StatefulSetStatus.conditions", conditions],
  ["JobStatus.conditions", { patchStrategy: "merge", patchMergeKey: "type", listType: "atomic" }],
  ["CustomResourceDefinitionStatus.conditions", { listType: "map", listMapKeys: ["type"] }],
]);

/** The x-kubernetes-* extensions of one field, empty when it has none. */
export function patchExtensions(typeShort: string, field: string): Record<string, unknown> {
  const meta = PATCH_META.get(`${typeShort}.${field}`);
  if (!meta) return {};
  const ext: Record<string, unknown> = {};
  if (meta.listType) ext["x-kubernetes-list-type"] = meta.listType;
  if (meta.listMapKeys) ext["x-kubernetes-list-map-keys"] = meta.listMapKeys;
  if (meta.patchMergeKey) ext["x-kubernetes-patch-merge-key"] = meta.patchMergeKey;
  if (meta.patchStrategy) ext["x-kubernetes-patch-strategy"] = meta.patchStrategy;
  return ext;
}
