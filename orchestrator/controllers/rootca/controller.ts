// The root CA publisher (model: kube-controller-manager's root-ca-cert-publisher): every
// active namespace holds the ConfigMap `kube-root-ca.crt` whose `ca.crt` is the cluster CA, so
// pods (and their projected token volumes) can verify the API server. One key per namespace;
// a missing map is created, one whose data or description drifted is put back.
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import type { Informer, KubeClient, Unstructured } from "../../../kube/client/index.js";
import { isActive, isBenignCreateError } from "../serviceaccount/namespaces.js";

export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
export const ROOT_CA_KEY = "ca.crt";
export const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
/** Kubernetes' wording, so tools that read the annotation see the same text. */
export const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
  "No other usage is guaranteed across distributions of Kubernetes clusters.";

export interface RootCAPublisherOptions {
  client: KubeClient;
  clock: Clock;
  /** Namespaces, cluster-wide. */
  namespaces: Informer;
  /** ConfigMaps named kube-root-ca.crt, in all namespaces (others are ignored). */
  configMaps: Informer;
  /** The cluster CA certificate (PEM) to publish. */
  caPem: string;
  onError?: (message: string) => void;
}

export function startRootCAPublisher(options: RootCAPublisherOptions): RunningController {
  const controller = runController({
    clock: options.clock,
    workers: 2,
    reconcile: (namespace) => reconcileRootCA(options, namespace),
    onError: (f) => options.onError?.(`root-ca-cert-publisher ${f.key}: ${String(f.error)}`),
  });
  const queueNamespace = (ns: Unstructured): void => {
    if (ns.metadata.name) controller.queue.add(ns.metadata.name);
  };
  const queueOwner = (cm: Unstructured): void => {
    if (cm.metadata.name === ROOT_CA_CONFIGMAP && cm.metadata.namespace) controller.queue.add(cm.metadata.namespace);
  };
  options.namespaces.addHandlers({ add: queueNamespace, update: (_old, ns) => queueNamespace(ns) });
  options.configMaps.addHandlers({ update: (_old, cm) => queueOwner(cm), delete: queueOwner });
  return controller;
}

function isCurrent(cm: Unstructured, caPem: string): boolean {
  const data = cm.data;
  const current = typeof data === "object" && data !== null ? Object.entries(data) : [];
  const annotation = cm.metadata.annotations?.[DESCRIPTION_ANNOTATION] ?? "";
  return current.length === 1 && current[0][0] === ROOT_CA_KEY && current[0][1] === caPem && annotation !== "";
}

export async function reconcileRootCA(options: RootCAPublisherOptions, namespace: string): Promise<Record<string, never>> {
  if (!isActive(options.namespaces.get(namespace))) return {};
  const data = { [ROOT_CA_KEY]: options.caPem };
  const cm = options.configMaps.get(`${namespace}/${ROOT_CA_CONFIGMAP}`);
  if (!cm) {
    const metadata = { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } };
    try {
      await options.client.create({ apiVersion: "v1", kind: "ConfigMap", metadata, data });
    } catch (err) {
      if (!isBenignCreateError(err)) throw err;
    }
    return {};
  }
  if (isCurrent(cm, options.caPem)) return {};
  // The cached object carries its resourceVersion: a concurrent change makes this a 409 and
  // the retry reconciles against the newer map.
  const annotations = { ...cm.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION };
  await options.client.update({ ...cm, metadata: { ...cm.metadata, annotations }, data });
  return {};
}
