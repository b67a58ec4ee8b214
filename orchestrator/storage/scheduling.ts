// The storage half of the scheduler's VolumeBinding plugin (WaitForFirstConsumer): a claim
// whose class binds late does not hold the pod back; instead each node is asked whether the
// claim could bind there (a matching static volume the node may use, or a class that
// provisions), and once the scheduler has chosen a node, PreBind records it on the claim as
// volume.kubernetes.io/selected-node. The binder then binds or provisions for that node, and
// the volume's nodeAffinity keeps the pod (and every later pod of the claim) there.
import type { V1PersistentVolumeClaim, V1Pod, V1TopologySelectorTerm } from "@kubernetes/client-node";
import { Informer, type KubeClient } from "../../kube/client/index.js";
import type { Component, ComponentOptions } from "../component.js";
import { clientFor } from "../controllers/batchAndNetwork.js";
import { startScheduler } from "../scheduler/index.js";
import type { VolumeBindingOptions } from "../scheduler/plugins/volumeBinding.js";
import { failsUnresolvable, type NodeFilter, type NodeInfo } from "../scheduler/types.js";
import { isDelayedBinding } from "./decide.js";
import { findMatchingVolume } from "./match.js";
import { CLAIM_TYPE, CLASS_TYPE, claimClass, isClaim, isStorageClass, isVolume, NO_PROVISIONER, podClaimNames, SELECTED_NODE, VOLUME_TYPE, type StorageClass } from "./types.js";

export const BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";

export interface StorageSchedulingOptions {
  client: KubeClient;
  classes: Informer;
  volumes: Informer;
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

export function storageVolumeBinding(options: StorageSchedulingOptions): VolumeBindingOptions {
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
    preBind: (pod, node) => selectNode(options, pod, node),
  };
}

/** PreBind: every unbound late-binding claim of the pod gets the chosen node. */
async function selectNode(options: StorageSchedulingOptions, pod: V1Pod, node: string): Promise<void> {
  const namespace = pod.metadata?.namespace ?? "default";
  for (const name of podClaimNames(pod)) {
    const claim = await options.client.tryGet({ ...CLAIM_TYPE, namespace, name });
    if (!isClaim(claim) || claim.spec?.volumeName || !isDelayedBinding(classOf(options.classes, claim))) continue;
    if (claim.metadata.annotations?.[SELECTED_NODE] === node) continue;
    const patch = { metadata: { annotations: { [SELECTED_NODE]: node }, resourceVersion: claim.metadata.resourceVersion } };
    await options.client.patch({ ...CLAIM_TYPE, namespace, name }, patch, { type: "merge" });
  }
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
  try {
    await Promise.all([classes.start(), volumes.start()]);
    const scheduler = await startScheduler({ ...options, profile: { volumeBinding: storageVolumeBinding({ client, classes, volumes }) } });
    return {
      name: scheduler.name,
      async stop() {
        await scheduler.stop();
        classes.stop();
        volumes.stop();
      },
    };
  } catch (err) {
    classes.stop();
    volumes.stop();
    throw err;
  }
}
