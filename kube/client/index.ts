// One client for any Kubernetes API: the built-in cluster or any cluster a kubeconfig names.
//
//   const client = createKubeClient({ kubeconfig, context, namespace });   // CLI globals
//   await client.apply(obj, { fieldManager: "berth" });                    // server-side apply
//   const web = await client.get({ apiVersion: "apps/v1", kind: "Deployment", name: "web" });
//   const { items } = await client.list({ apiVersion: "v1", kind: "Pod" }, { labelSelector: "app=web" });
//   await client.patch(ref, { spec: { replicas: 3 } }, { type: "merge" });
//   await client.updateStatus(objWithStatus);
//   await client.delete(ref, { propagationPolicy: "Foreground" });
//
//   const pods = new Informer(client, { apiVersion: "v1", kind: "Pod" }, { allNamespaces: true, clock });
//   pods.addHandlers({ add: (p) => queue.add(objectKey(p)), update: (_o, p) => queue.add(objectKey(p)) });
//   await pods.start();            // resolves once the cache is synced; pods.get("ns/name")
//
// Objects are unstructured (`Unstructured` out; anything `KubeObject`-shaped in, including
// client-node's typed V1* objects). Namespaced kinds default to `client.namespace` (-n, else the
// context's, else "default"). Failures are catalogue errors: 404 -> KubeNotFoundError (a
// NotFoundError), 409 -> KubeConflictError (a ConflictError), others KubeApiError (a KubeError);
// each carries the server's Status (`apiStatusOf(err)`: code, reason, message, causes).
// Calls are retried with backoff on 429, on 5xx and dropped connections when idempotent, and on
// refused connections. Watches resume from their last resourceVersion and relist on 410.
import type { Clock } from "../../core/clock.js";
import { KubeClient } from "./client.js";
import { loadKubeConfig, type LoadKubeConfigOptions } from "./kubeconfig.js";
import { Transport, type RetryPolicy } from "./transport.js";

export interface CreateKubeClientOptions extends LoadKubeConfigOptions {
  /** Clock for retry waits (tests inject a FakeClock). */
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
}

export function createKubeClient(options: CreateKubeClientOptions = {}): KubeClient {
  const loaded = loadKubeConfig(options);
  const transport = new Transport({ kubeConfig: loaded.kubeConfig, server: loaded.server, clock: options.clock, retry: options.retry });
  return new KubeClient(transport, loaded.namespace);
}

export { KubeClient, collectionPath, type ApplyOptions, type DeleteOptions, type ListOptions, type ListResult, type PageResult, type PatchOptions, type PatchType, type WriteOptions } from "./client.js";
export { RestMapper, type ResourceMapping } from "./discovery.js";
export { KubeApiError, KubeConflictError, KubeNotFoundError, apiStatusOf, type ApiStatus, type StatusCause } from "./errors.js";
export { Informer, type InformerHandlers, type InformerOptions } from "./informer.js";
export type { IndexFunc } from "./indices.js";
export { loadKubeConfig, type LoadKubeConfigOptions, type LoadedKubeConfig } from "./kubeconfig.js";
export { describeRef, isRecord, isUnstructured, objectKey, refOf, splitApiVersion, type KubeMeta, type KubeObject, type TypedKubeObject, type ObjectRef, type TypeRef, type Unstructured } from "./objects.js";
export { Transport, type ApiRequest, type RequestCounts, type RetryPolicy, type TransportOptions } from "./transport.js";
export { watchObjects, type WatchEvent, type WatchHandle, type WatchOptions } from "./watch.js";
