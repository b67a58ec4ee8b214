// SecretsApi over the kube client: the Secrets release storage's port to a real cluster.
import { NotFoundError } from "../core/errors.js";
import type { KubeClient, Unstructured } from "../kube/client/index.js";
import type { SecretObject, SecretsApi } from "./storage/index.js";
import { isRecord } from "./target.js";

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
