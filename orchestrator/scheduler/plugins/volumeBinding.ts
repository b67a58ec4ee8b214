// VolumeBinding (the part that needs no storage controller): every PVC the pod mounts must
// exist and be bound, and a bound PV's nodeAffinity limits the nodes. An unbound claim makes
// the pod wait ("pod has unbound immediate PersistentVolumeClaims") until the claim changes.
//
// Seam for WaitForFirstConsumer: the storage issue passes `delayedBinding`, which decides for
// an unbound claim whether it binds late and, if so, which nodes could provision / bind it.
import type { V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { matchesNodeSelectorTerms } from "../selectors.js";
import { failsUnresolvable, type FilterPlugin, type FilterStatus, type NodeFilter, type NodeInfo, type Snapshot } from "../types.js";

export interface VolumeBindingOptions {
  /**
   * For an unbound claim: undefined when it binds immediately (the pod waits), else a node
   * filter for a claim that is bound when a pod using it is scheduled (WaitForFirstConsumer).
   */
  delayedBinding?: (claim: V1PersistentVolumeClaim, snapshot: Snapshot) => NodeFilter | undefined;
  /**
   * PreBind: runs once the node is chosen, before the pod is bound (the storage side records
   * the node on the pod's delayed claims). A rejection makes the pod retry with backoff.
   */
  preBind?: (pod: V1Pod, node: string) => Promise<void>;
}

export const VOLUME_NODE_CONFLICT = "node(s) had volume node affinity conflict";
export const UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";

export function volumeBindingFilter(options: VolumeBindingOptions = {}): FilterPlugin {
  return {
    name: "VolumeBinding",
    prepare(pod, snapshot): NodeFilter | FilterStatus {
      const checks: NodeFilter[] = [];
      for (const volume of pod.pod.spec?.volumes ?? []) {
        const claimName = volume.persistentVolumeClaim?.claimName;
        if (!claimName) continue;
        const claim = snapshot.claim(pod.namespace, claimName);
        if (!claim) return failsUnresolvable(`persistentvolumeclaim "${claimName}" not found`);
        if (claim.metadata?.deletionTimestamp) return failsUnresolvable(`persistentvolumeclaim "${claimName}" is being deleted`);
        const volumeName = claim.spec?.volumeName;
        if (!volumeName) {
          const delayed = options.delayedBinding?.(claim, snapshot);
          if (!delayed) return failsUnresolvable(UNBOUND_IMMEDIATE);
          checks.push(delayed);
          continue;
        }
        const pv = snapshot.volume(volumeName);
        if (!pv) return failsUnresolvable(`persistentvolume "${volumeName}" not found`);
        const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
        if (terms) {
          checks.push((node: NodeInfo) => (matchesNodeSelectorTerms(terms, node.labels, node.name) ? undefined : failsUnresolvable(VOLUME_NODE_CONFLICT)));
        }
      }
      return (node: NodeInfo) => {
        for (const check of checks) {
          const status = check(node);
          if (status) return status;
        }
        return undefined;
      };
    },
  };
}

