// The storage half of the scheduler's VolumeBinding plugin (WaitForFirstConsumer): a claim
// whose class binds late does not hold the pod back; instead each node is asked whether the
// claim could bind there (a matching static volume the node may use, or a class that
// provisions), and once the scheduler has chosen a node, PreBind records it on the claim as
// volume.kubernetes.io/selected-node and waits until the binder has bound or provisioned for
// that node (prebind.ts) before the pod is bound. The volume's nodeAffinity then keeps the pod
// (and every later pod of the claim) there.
import type { V1PersistentVolumeClaim, V1TopologySelectorTerm } from "@kubernetes/client-node";
import type { Clock } from "../../core/clock.js";
import { Informer, type KubeClient } from "../../kube/client/index.js";
import type { Component, ComponentOptions } from "../component.js";
import { clientFor } from "../controllers/batchAndNetwork.js";
import { startScheduler } from "../scheduler/index.js";
import type { VolumeBindingOptions } from "../scheduler/plugins/volumeBinding.js";
import { failsUnresolvable, type NodeFilter, type NodeInfo } from "../scheduler/types.js";
import { isDelayedBinding } from "./decide.js";
import { findMatchingVolume } from "./match.js";
import { VolumePreBinder } from "./prebind.js";
import { CLAIM_TYPE, CLASS_TYPE, claimClass, isStorageClass, isVolume, NO_PROVISIONER, SELECTED_NODE, VOLUME_TYPE, type StorageClass } from "./types.js";

export const BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";

export interface StorageSchedulingOptions {
  client: KubeClient;
  clock: Clock;
  classes: Informer;
  volumes: Informer;
  /** The claims PreBind waits on; their and the volumes' events wake the wait. */
  claims: Informer;
  /** How long PreBind waits for the claims to bind (default 600 s, kube-scheduler's). */
  bindTimeoutMs?: number;
}

export interface StorageVolumeBinding extends VolumeBindingOptions {
  /** Ends PreBind waits in progress, failing them (call before stopping the scheduler). */
  close(): void;
}

function classOf(classes: Informer, claim: V1PersistentVolumeClaim): StorageClass | undefined {
  const name = claimClass(claim);
  const sc = name ? classes.get(name) : undefined;
  return isStorageClass(sc) ? sc : undefined;
}

/** Whether a node's labels satisfy a class's allowedTopologies (none: every node). */
export function topologyAllows(terms: V1TopologySelectorTerm[] | undefined, labels: Record<string, string>): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(labels[e.key] ?? "\u0000")));
}

export function storageVolumeBinding(options: StorageSchedulingOptions): StorageVolumeBinding {
  const preBinder = new VolumePreBinder(options);
  const changed = (): void => preBinder.changed();
  for (const informer of [options.claims, options.volumes]) informer.addHandlers({ add: changed, update: changed, delete: changed });
  return {
    delayedBinding(claim): NodeFilter | undefined {
      const sc = classOf(options.classes, claim);
      if (!sc || !isDelayedBinding(sc)) return undefined;
      const selected = claim.metadata?.annotations?.[SELECTED_NODE];
      const volumes = options.volumes.list().filter(isVolume);
      return (node: NodeInfo) => {
        if (selected) return selected === node.name ? undefined : failsUnresolvable(BIND_CONFLICT);
        if (findMatchingVolume(claim, volumes, { delayBinding: true, node: node.node })) return undefined;
        if (sc.provisioner !== NO_PROVISIONER && topologyAllows(sc.allowedTopologies, node.labels)) return undefined;
        return failsUnresolvable(BIND_CONFLICT);
      };
    },
    preBind: (pod, node) => preBinder.preBind(pod, node),
    close: () => preBinder.close(),
  };
}

/**
 * The scheduler with WaitForFirstConsumer support: the scheduler component plus the class and
 * volume informers its VolumeBinding seam reads. Stands in for startScheduler in the cluster.
 */
export async function startSchedulerWithStorage(options: ComponentOptions): Promise<Component> {
  const client = clientFor(options);
  const onError = (err: unknown): void => options.logger?.warn(`scheduler storage informer: ${String(err)}`);
  const classes = new Informer(client, CLASS_TYPE, { clock: options.clock, onError });
  const volumes = new Informer(client, VOLUME_TYPE, { clock: options.clock, onError });
  const claims = new Informer(client, CLAIM_TYPE, { allNamespaces: true, clock: options.clock, onError });
  const informers = [classes, volumes, claims];
  try {
    await Promise.all(informers.map((i) => i.start()));
    const volumeBinding = storageVolumeBinding({ client, clock: options.clock, classes, volumes, claims });
    const scheduler = await startScheduler({ ...options, profile: { volumeBinding } });
    return {
      name: scheduler.name,
      async stop() {
        volumeBinding.close();
        await scheduler.stop();
        for (const i of informers) i.stop();
      },
    };
  } catch (err) {
    for (const i of informers) i.stop();
    throw err;
  }
}
