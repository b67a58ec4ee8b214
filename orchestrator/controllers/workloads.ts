// The workload controllers as one Component: ReplicaSet, Deployment, StatefulSet and
// DaemonSet, sharing one set of informers (pods, replicasets, deployments, statefulsets,
// daemonsets, nodes, controllerrevisions, PVCs) with one work queue each. They reach the
// cluster only through the API, so they run against the built-in or a remote API server.
import { KubeClient, Transport } from "../../kube/client/index.js";
import type { RunningController } from "../../core/workqueue/index.js";
import type { Component, ComponentOptions } from "../component.js";
import { startDaemonSetController } from "./daemonset/controller.js";
import { startDeploymentController } from "./deployment/controller.js";
import { startReplicaSetController } from "./replicaset/controller.js";
import { WorkloadInformers } from "./shared/informers.js";
import { startStatefulSetController } from "./statefulset/controller.js";
import type { ControllerContext } from "./shared/runtime.js";

export interface WorkloadControllersOptions extends ComponentOptions {
  /** Keys each controller reconciles at once (default 2). */
  workers?: number;
}

export async function startWorkloadControllers(options: WorkloadControllersOptions): Promise<Component> {
  const server = options.kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error("workload controllers: the kubeconfig names no cluster server");
  const client = new KubeClient(new Transport({ kubeConfig: options.kubeConfig, server, clock: options.clock }), "default");
  const informers = new WorkloadInformers(client, {
    clock: options.clock,
    onError: (err) => options.logger?.warn(`workload informers: ${err instanceof Error ? err.message : String(err)}`),
  });
  const ctx: ControllerContext = { client, informers, clock: options.clock, logger: options.logger, workers: options.workers };
  // Every cache is full before any controller registers (client-go's WaitForCacheSync): a
  // ReplicaSet reconciled while the pod cache was still listing saw no pods and created a
  // second set after a restart. Registering replays each cache as adds, so nothing is missed.
  await informers.start();
  const controllers: RunningController[] = [
    startReplicaSetController(ctx),
    startDeploymentController(ctx),
    startStatefulSetController(ctx),
    startDaemonSetController(ctx),
  ];
  return {
    name: "workload-controllers",
    async stop() {
      informers.stop();
      await Promise.all(controllers.map((c) => c.stop()));
    },
  };
}
