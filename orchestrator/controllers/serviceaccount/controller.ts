// The ServiceAccount controller (model: kube-controller-manager's serviceaccount-controller):
// every active namespace holds the `default` ServiceAccount. One key per namespace; reconcile
// reads the namespace and the account from the informer caches and creates what is missing,
// so a new namespace gets its account and a deleted account comes back. Pods need it: the API
// server's ServiceAccount admission refuses pods whose account does not exist.
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import type { Informer, KubeClient, Unstructured } from "../../../kube/client/index.js";
import { isActive, isBenignCreateError } from "./namespaces.js";

export const DEFAULT_SERVICE_ACCOUNT = "default";

export interface ServiceAccountControllerOptions {
  client: KubeClient;
  clock: Clock;
  /** Namespaces, cluster-wide. */
  namespaces: Informer;
  /** ServiceAccounts in all namespaces. */
  serviceAccounts: Informer;
  /** Accounts every namespace gets (default ["default"], as Kubernetes). */
  accounts?: string[];
  onError?: (message: string) => void;
}

export function startServiceAccountController(options: ServiceAccountControllerOptions): RunningController {
  const accounts = options.accounts ?? [DEFAULT_SERVICE_ACCOUNT];
  const controller = runController({
    clock: options.clock,
    workers: 2,
    reconcile: (namespace) => reconcileNamespace(options, accounts, namespace),
    onError: (f) => options.onError?.(`serviceaccount-controller ${f.key}: ${String(f.error)}`),
  });
  const queueNamespace = (ns: Unstructured): void => {
    if (ns.metadata.name) controller.queue.add(ns.metadata.name);
  };
  options.namespaces.addHandlers({ add: queueNamespace, update: (_old, ns) => queueNamespace(ns) });
  options.serviceAccounts.addHandlers({
    delete: (sa) => {
      if (sa.metadata.namespace && accounts.includes(sa.metadata.name ?? "")) controller.queue.add(sa.metadata.namespace);
    },
  });
  return controller;
}

/** Creates each wanted account the namespace lacks; nothing for a namespace that is gone or terminating. */
export async function reconcileNamespace(options: ServiceAccountControllerOptions, accounts: string[], namespace: string): Promise<Record<string, never>> {
  if (!isActive(options.namespaces.get(namespace))) return {};
  for (const name of accounts) {
    if (options.serviceAccounts.get(`${namespace}/${name}`)) continue;
    try {
      await options.client.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } });
    } catch (err) {
      if (!isBenignCreateError(err)) throw err;
    }
  }
  return {};
}
