// The batch and network half of the controller manager: Job, CronJob, the `kubernetes`
// Service, Endpoints / EndpointSlices, node lifecycle and pod GC, as one Component sharing one set of
// informers. Each controller is level-triggered over its own work queue; this file only wires
// informers to controllers and stops them in order.
import type { RunningController } from "../../core/workqueue/index.js";
import { Informer, KubeClient, Transport, type InformerOptions, type TypeRef } from "../../kube/client/index.js";
import type { Component, ComponentOptions } from "../component.js";
import { startCronJobController } from "./cronjob/controller.js";
import { startEndpointsController } from "./endpoints/controller.js";
import { startJobController } from "./job/controller.js";
import { startNodeLifecycleController, type NodeLifecycleOptions } from "./nodelifecycle/controller.js";
import { startPodGCController, type PodGCOptions } from "./podgc/controller.js";
import { startKubernetesServiceController } from "./service/controller.js";

export const BATCH_AND_NETWORK = "batch-and-network-controllers";

export interface BatchAndNetworkOptions extends ComponentOptions {
  /** Node lifecycle tuning (grace period, monitor period); Kubernetes' defaults otherwise. */
  nodeLifecycle?: Pick<NodeLifecycleOptions, "gracePeriodMs">;
  /** Pod GC tuning (quarantine, threshold, period); defaults in podgc/controller.ts. */
  podGC?: Pick<PodGCOptions, "quarantineMs" | "terminatedThreshold" | "periodMs">;
}

export function clientFor(options: ComponentOptions): KubeClient {
  const server = options.kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error("the kubeconfig names no API server for its current context");
  return new KubeClient(new Transport({ kubeConfig: options.kubeConfig, server, clock: options.clock }), "default");
}

export async function startBatchAndNetworkControllers(options: BatchAndNetworkOptions): Promise<Component> {
  const client = clientFor(options);
  const { clock, logger } = options;
  const onError = (err: unknown): void => logger?.warn(`${BATCH_AND_NETWORK}: ${String(err)}`);
  const informer = (type: TypeRef, extra: InformerOptions = {}): Informer => new Informer(client, type, { allNamespaces: true, clock, onError, ...extra });
  const informers = {
    pods: informer({ apiVersion: "v1", kind: "Pod" }),
    jobs: informer({ apiVersion: "batch/v1", kind: "Job" }),
    cronJobs: informer({ apiVersion: "batch/v1", kind: "CronJob" }),
    services: informer({ apiVersion: "v1", kind: "Service" }),
    nodes: informer({ apiVersion: "v1", kind: "Node" }),
    leases: informer({ apiVersion: "coordination.k8s.io/v1", kind: "Lease" }, { allNamespaces: false, namespace: "kube-node-lease" }),
  };
  const report = (message: string): void => logger?.warn(message);
  // Caches first, controllers second (client-go's WaitForCacheSync): a Job reconciled before
  // the pod cache filled would count no pods and create more.
  const all = Object.values(informers);
  try {
    await Promise.all(all.map((i) => i.start()));
  } catch (err) {
    for (const i of all) i.stop();
    throw err;
  }
  const controllers: RunningController[] = [
    startJobController({ client, clock, jobs: informers.jobs, pods: informers.pods, onError: report }),
    startCronJobController({ client, clock, cronJobs: informers.cronJobs, jobs: informers.jobs, onError: report }),
    startEndpointsController({ client, clock, services: informers.services, pods: informers.pods, nodes: informers.nodes, onError: report }),
    startNodeLifecycleController({ client, clock, nodes: informers.nodes, leases: informers.leases, pods: informers.pods, onError: report, ...options.nodeLifecycle }),
    startPodGCController({ client, clock, pods: informers.pods, nodes: informers.nodes, onError: report, ...options.podGC }),
    startKubernetesServiceController({ client, clock, server: client.transport.server, onError: report }),
  ];
  return {
    name: BATCH_AND_NETWORK,
    async stop() {
      for (const i of all) i.stop();
      await Promise.all(controllers.map((c) => c.stop()));
    },
  };
}
