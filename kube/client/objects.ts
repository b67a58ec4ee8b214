// Unstructured objects: what the client accepts and returns. Inputs are structural so
// client-node's typed objects (V1ConfigMap, V1Deployment, ...) and plain JSON both fit;
// outputs are validated JSON records, never a promise that the server sent a given type.

export interface KubeMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: { [key: string]: string };
  annotations?: { [key: string]: string };
  resourceVersion?: string;
  uid?: string;
  generation?: number;
  finalizers?: string[];
}

/** The shape client-node's typed objects (V1ConfigMap, ...) share. */
export interface TypedKubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeMeta;
}

/** What the client accepts: client-node typed objects and unstructured JSON alike. */
export type KubeObject = TypedKubeObject | Unstructured;

/** An object as the server returned it. */
export interface Unstructured {
  apiVersion: string;
  kind: string;
  metadata: KubeMeta & { [key: string]: unknown };
  [field: string]: unknown;
}

/** A kind in an API group version: the coordinates of a resource type. */
export interface TypeRef {
  apiVersion: string;
  kind: string;
}

/** One object by name (namespace ignored for cluster-scoped kinds, defaulted otherwise). */
export interface ObjectRef extends TypeRef {
  name: string;
  namespace?: string;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isUnstructured(v: unknown): v is Unstructured {
  return isRecord(v) && typeof v.apiVersion === "string" && typeof v.kind === "string" && isRecord(v.metadata);
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key of caches and queues. */
export function objectKey(obj: { metadata?: { name?: string; namespace?: string } }): string {
  const name = obj.metadata?.name ?? "";
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

/** `Kind/name -n ns` for messages. */
export function describeRef(ref: { kind?: string; name?: string; namespace?: string }): string {
  return `${ref.kind ?? "?"}/${ref.name ?? "?"}${ref.namespace ? ` -n ${ref.namespace}` : ""}`;
}

export function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion ?? "", kind: obj.kind ?? "", name: obj.metadata?.name ?? "", namespace: obj.metadata?.namespace };
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
