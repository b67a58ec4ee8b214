// The ServiceAccount half of the controller manager as one Component: the ServiceAccount
// controller (a `default` account in every namespace) and the root CA publisher (ConfigMap
// kube-root-ca.crt in every namespace), sharing one namespace informer. The CA published is
// the one the component's own kubeconfig trusts for the API server, as kube-controller-manager
// publishes its --root-ca-file; a plain-http cluster has none, so it publishes nothing.
import { readFileSync } from "node:fs";
import type { RunningController } from "../../core/workqueue/index.js";
import { Informer, type InformerOptions, type TypeRef } from "../../kube/client/index.js";
import type { Component, ComponentOptions } from "../component.js";
import { clientFor } from "./batchAndNetwork.js";
import { ROOT_CA_CONFIGMAP, startRootCAPublisher } from "./rootca/controller.js";
import { startServiceAccountController } from "./serviceaccount/controller.js";

export const SERVICE_ACCOUNT_CONTROLLERS = "serviceaccount-controllers";

export interface ServiceAccountControllersOptions extends ComponentOptions {
  /** The CA to publish; default: the certificate authority of the kubeconfig's current cluster. */
  caPem?: string;
}

/** The PEM CA the kubeconfig trusts for its current cluster, if any. */
export function kubeConfigCa(options: ComponentOptions): string | undefined {
  const cluster = options.kubeConfig.getCurrentCluster();
  if (cluster?.caData) return Buffer.from(cluster.caData, "base64").toString("utf8");
  if (cluster?.caFile) return readFileSync(cluster.caFile, "utf8");
  return undefined;
}

export async function startServiceAccountControllers(options: ServiceAccountControllersOptions): Promise<Component> {
  const client = clientFor(options);
  const { clock, logger } = options;
  const onError = (err: unknown): void => logger?.warn(`${SERVICE_ACCOUNT_CONTROLLERS}: ${String(err)}`);
  const informer = (type: TypeRef, extra: InformerOptions = {}): Informer => new Informer(client, type, { clock, onError, ...extra });
  const caPem = options.caPem ?? kubeConfigCa(options);
  const informers = {
    namespaces: informer({ apiVersion: "v1", kind: "Namespace" }),
    serviceAccounts: informer({ apiVersion: "v1", kind: "ServiceAccount" }, { allNamespaces: true }),
    configMaps: caPem === undefined ? undefined : informer({ apiVersion: "v1", kind: "ConfigMap" }, { allNamespaces: true, fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` }),
  };
  const all = [informers.namespaces, informers.serviceAccounts, ...(informers.configMaps ? [informers.configMaps] : [])];
  // Caches first (client-go's WaitForCacheSync): an account the cache has not listed yet would
  // look missing and be created again (harmless, a 409, but noise on every start).
  try {
    await Promise.all(all.map((i) => i.start()));
  } catch (err) {
    for (const i of all) i.stop();
    throw err;
  }
  const report = (message: string): void => logger?.warn(message);
  const controllers: RunningController[] = [startServiceAccountController({ client, clock, namespaces: informers.namespaces, serviceAccounts: informers.serviceAccounts, onError: report })];
  if (informers.configMaps && caPem !== undefined) {
    controllers.push(startRootCAPublisher({ client, clock, namespaces: informers.namespaces, configMaps: informers.configMaps, caPem, onError: report }));
  }
  return {
    name: SERVICE_ACCOUNT_CONTROLLERS,
    async stop() {
      for (const i of all) i.stop();
      await Promise.all(controllers.map((c) => c.stop()));
    },
  };
}
