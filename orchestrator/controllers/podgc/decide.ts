// What pod garbage collection removes, as pure functions over cached pods (model:
// kube-controller-manager's pkg/controller/podgc/gc_controller.go). The controller decides
// *when*; these decide *which*.
import { objectKey } from "../../../kube/client/index.js";
import { isPod, type Pod } from "../../kubelet/types.js";

/** kube-controller-manager's --terminated-pod-gc-threshold default. */
export const DEFAULT_TERMINATED_THRESHOLD = 12_500;

export function podsOf(objects: unknown[]): Pod[] {
  return objects.filter(isPod);
}

function isTerminated(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

function createdAt(pod: Pod): number {
  const at = pod.metadata.creationTimestamp;
  return at === undefined ? 0 : new Date(at).getTime();
}

/** The oldest terminated pods beyond `threshold`, oldest first (ties broken by key, for determinism). */
export function excessTerminated(pods: Pod[], threshold: number): Pod[] {
  const terminated = pods.filter((p) => isTerminated(p) && p.metadata.deletionTimestamp === undefined);
  if (terminated.length <= threshold) return [];
  terminated.sort((a, b) => createdAt(a) - createdAt(b) || objectKey(a).localeCompare(objectKey(b)));
  return terminated.slice(0, terminated.length - threshold);
}

/** Pods being deleted that were never bound: no kubelet will ever finish them. */
export function unscheduledTerminating(pods: Pod[]): Pod[] {
  return pods.filter((p) => p.metadata.deletionTimestamp !== undefined && !p.spec.nodeName);
}

/** Names of nodes that pods are bound to but `nodeExists` does not know. */
export function missingNodes(pods: Pod[], nodeExists: (name: string) => boolean): string[] {
  const names = new Set<string>();
  for (const pod of pods) {
    const node = pod.spec.nodeName;
    if (node && !nodeExists(node)) names.add(node);
  }
  return [...names].sort();
}

/** Every pod bound to `node`, terminating ones included (they need finishing too). */
export function podsBoundTo(pods: Pod[], node: string): Pod[] {
  return pods.filter((p) => p.spec.nodeName === node);
}
