// SecretsApi over the kube client: the Secrets release storage's port to a real cluster.
// listMetadata asks for a PartialObjectMetadataList (labels and annotations, no data), which
// kube-apiserver and the built-in API server both serve, so `list` does not fetch payloads.
import { NotFoundError } from "../core/errors.js";
import type { KubeClient, Unstructured } from "../kube/client/index.js";
import type { SecretMetadata, SecretObject, SecretsApi } from "./storage/index.js";
import { isRecord } from "./target.js";

const METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;q=0.9";

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

function toMetadata(item: unknown): SecretMetadata | undefined {
  const metadata = isRecord(item) && isRecord(item.metadata) ? item.metadata : undefined;
  if (!metadata || typeof metadata.name !== "string" || typeof metadata.namespace !== "string") return undefined;
  const labels = stringMap(metadata.labels);
  const annotations = stringMap(metadata.annotations);
  return { name: metadata.name, namespace: metadata.namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) };
}

/** Metadata of the Secrets matching the selector; undefined when the server would not answer so (the caller lists in full). */
async function listMetadata(client: KubeClient, namespace: string | undefined, labelSelector: string): Promise<SecretMetadata[] | undefined> {
  const path = namespace === undefined ? "/api/v1/secrets" : `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  try {
    const body = await client.transport.json({ method: "GET", path, query: { labelSelector }, accept: METADATA_LIST, what: `list secrets (metadata) -l ${labelSelector}` });
    const items = isRecord(body) && Array.isArray(body.items) ? body.items : undefined;
    return items?.map(toMetadata).filter((m): m is SecretMetadata => m !== undefined);
  } catch {
    return undefined;
  }
}

const SECRET = { apiVersion: "v1", kind: "Secret" } as const;

function toSecret(o: Unstructured): SecretObject {
  const data: Record<string, string> = {};
  if (isRecord(o.data)) for (const [k, v] of Object.entries(o.data)) if (typeof v === "string") data[k] = v;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: o.metadata.name ?? "",
      namespace: o.metadata.namespace ?? "",
      ...(o.metadata.labels ? { labels: o.metadata.labels } : {}),
      ...(o.metadata.annotations ? { annotations: o.metadata.annotations } : {}),
      ...(o.metadata.resourceVersion ? { resourceVersion: o.metadata.resourceVersion } : {}),
    },
    ...(typeof o.type === "string" ? { type: o.type } : {}),
    data,
  };
}

export function kubeSecretsApi(client: KubeClient): SecretsApi {
  return {
    async get(namespace, name) {
      const o = await client.tryGet({ ...SECRET, namespace, name });
      return o ? toSecret(o) : undefined;
    },
    async list(namespace, labelSelector) {
      const { items } = await client.list(SECRET, namespace === undefined ? { allNamespaces: true, labelSelector } : { namespace, labelSelector });
      return items.map(toSecret);
    },
    listMetadata: async (namespace, labelSelector) => listMetadata(client, namespace, labelSelector),
    async create(secret) {
      return toSecret(await client.create(secret));
    },
    async replace(secret) {
      return toSecret(await client.update(secret));
    },
    async delete(namespace, name) {
      const gone = await client.tryGet({ ...SECRET, namespace, name });
      if (!gone) throw new NotFoundError(`secret ${namespace}/${name} not found`);
      await client.delete({ ...SECRET, namespace, name });
    },
  };
}
