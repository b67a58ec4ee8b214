// The scheduler component (`berth cluster up` starts it; it can also run alone against any
// API server): informers on pods, nodes, claims, volumes and namespaces feed the Scheduler's
// cache and queue, and its loop binds pods through the API.
//
// Priority: pods carry spec.priority, which the Priority admission plugin fills from
// spec.priorityClassName. When the API serves scheduling.k8s.io/v1 PriorityClasses, a class
// named by a pod without spec.priority is resolved here too; when it does not (berth's API
// server does not yet), such a pod counts as priority 0.
import type { V1Pod } from "@kubernetes/client-node";
import { Informer, KubeClient, Transport, type TypeRef, type Unstructured } from "../../kube/client/index.js";
import type { Component, ComponentOptions } from "../component.js";
import { SchedulerApi } from "./api.js";
import type { ClusterEvent } from "./events.js";
import { defaultProfile, type ProfileOptions } from "./framework.js";
import { isClaim, isNamespace, isNode, isPod, isVolume, priorityClassValue } from "./objects.js";
import { Scheduler } from "./scheduler.js";

export { SCHEDULER_NAME } from "./api.js";
export { Scheduler } from "./scheduler.js";
export { defaultProfile, schedulePod, type Profile } from "./framework.js";

export interface SchedulerComponentOptions extends ComponentOptions {
  /** Seams for later features (WaitForFirstConsumer volume binding). */
  profile?: ProfileOptions;
}

interface Wiring {
  type: TypeRef;
  add(obj: Unstructured): void;
  update(old: Unstructured, obj: Unstructured): void;
  remove(obj: Unstructured): void;
}

function podWiring(s: Scheduler): Wiring {
  const asPod = (o: Unstructured): V1Pod | undefined => (isPod(o) ? o : undefined);
  return {
    type: { apiVersion: "v1", kind: "Pod" },
    add: (o) => void (isPod(o) && s.onPod(o)),
    update: (old, o) => void (isPod(o) && s.onPod(o, asPod(old))),
    remove: (o) => void (isPod(o) && s.onPodDeleted(o)),
  };
}

function nodeWiring(s: Scheduler): Wiring {
  const signature = (o: Unstructured): string =>
    isNode(o) ? JSON.stringify([o.metadata?.labels, o.spec, o.status?.allocatable, o.status?.capacity, o.status?.conditions?.find((c) => c.type === "Ready")?.status]) : "";
  const set = (o: Unstructured, event: ClusterEvent): void => {
    if (!isNode(o)) return;
    s.cache.setNode(o);
    s.onEvent(event);
  };
  return {
    type: { apiVersion: "v1", kind: "Node" },
    add: (o) => set(o, "NodeAdd"),
    // Heartbeat-only updates change nothing the filters read: skip the queue churn.
    update: (old, o) => (signature(old) === signature(o) ? void (isNode(o) && s.cache.setNode(o)) : set(o, "NodeUpdate")),
    remove: (o) => s.cache.deleteNode(o.metadata.name ?? ""),
  };
}

function storageWirings(s: Scheduler): Wiring[] {
  const claim = (o: Unstructured): void => {
    if (!isClaim(o)) return;
    s.cache.setClaim(o);
    s.onEvent("ClaimChange");
  };
  const volume = (o: Unstructured): void => {
    if (!isVolume(o)) return;
    s.cache.setVolume(o);
    s.onEvent("VolumeChange");
  };
  const namespace = (o: Unstructured): void => void (isNamespace(o) && s.cache.setNamespace(o));
  return [
    { type: { apiVersion: "v1", kind: "PersistentVolumeClaim" }, add: claim, update: (_, o) => claim(o), remove: (o) => s.cache.deleteClaim(o.metadata.namespace ?? "", o.metadata.name ?? "") },
    { type: { apiVersion: "v1", kind: "PersistentVolume" }, add: volume, update: (_, o) => volume(o), remove: (o) => s.cache.deleteVolume(o.metadata.name ?? "") },
    { type: { apiVersion: "v1", kind: "Namespace" }, add: namespace, update: (_, o) => namespace(o), remove: (o) => s.cache.deleteNamespace(o.metadata.name ?? "") },
  ];
}

function clientFor(options: ComponentOptions): KubeClient {
  const server = options.kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error("scheduler: the kubeconfig's current context names no cluster server");
  return new KubeClient(new Transport({ kubeConfig: options.kubeConfig, server, clock: options.clock }), "default");
}

/** Watches PriorityClasses when served; undefined (priority from spec.priority only) when not. */
async function startPriorityClasses(client: KubeClient, options: ComponentOptions): Promise<Informer | undefined> {
  const informer = new Informer(client, { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass" }, { clock: options.clock });
  try {
    await informer.start();
    return informer;
  } catch (err) {
    informer.stop();
    options.logger?.info(`scheduler: PriorityClasses not available (${String(err)}); using spec.priority, unknown classes count as 0`);
    return undefined;
  }
}

export async function startScheduler(options: SchedulerComponentOptions): Promise<Component> {
  const client = clientFor(options);
  const classes = await startPriorityClasses(client, options);
  const classValue = (name: string): number | undefined => {
    const obj = classes?.get(name);
    return obj ? priorityClassValue(obj) : undefined;
  };
  const scheduler = new Scheduler({ api: new SchedulerApi(client, options.clock), clock: options.clock, profile: defaultProfile(options.profile), logger: options.logger, classValue });
  const onError = (err: unknown): void => options.logger?.warn(`scheduler informer: ${String(err)}`);
  const informers: Informer[] = classes ? [classes] : [];
  const stop = async (): Promise<void> => {
    for (const informer of informers) informer.stop();
    await scheduler.stop();
  };
  try {
    // Nodes, storage and namespaces first, so the first pods are scheduled against a full picture.
    for (const wiring of [nodeWiring(scheduler), ...storageWirings(scheduler), podWiring(scheduler)]) {
      const informer = new Informer(client, wiring.type, { allNamespaces: true, clock: options.clock, onError });
      informer.addHandlers({ add: wiring.add, update: wiring.update, delete: wiring.remove });
      informers.push(informer);
      await informer.start();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  scheduler.start();
  return { name: "scheduler", stop };
}
