// Before PodGC force-deletes a pod that has not finished, it moves the pod to phase Failed
// with a status patch (kube-controller-manager's markFailedAndDeletePodWithCondition). An
// orphaned pod's kubelet is gone, so nothing else would ever record how it ended; the Job
// controller counts the pod as failed, and a podFailurePolicy rule can match the
// DisruptionTarget condition an orphaned pod gets.
import type { Condition, Pod } from "../../kubelet/types.js";

/** The condition pods of a deleted node get (gc_controller.go gcOrphaned). */
export const NODE_GONE_CONDITION: Readonly<Condition> = {
  type: "DisruptionTarget",
  status: "True",
  reason: "DeletionByPodGC",
  message: "PodGC: node no longer exists",
};

export interface FailedStatusPatch {
  status: { phase: "Failed"; conditions?: Condition[] };
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/** Kubernetes timestamps have second precision. */
function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * The strategic merge patch for the pod's status subresource, or undefined when the pod is
 * already terminal (then it is only deleted). As UpdatePodCondition does, a condition that
 * already holds with the same status keeps its lastTransitionTime.
 */
export function failedStatusPatch(pod: Pod, options: { now: number; condition?: Readonly<Condition> }): FailedStatusPatch | undefined {
  if (isTerminal(pod)) return undefined;
  const patch: FailedStatusPatch = { status: { phase: "Failed" } };
  const wanted = options.condition;
  if (wanted) {
    const existing = pod.status?.conditions?.find((c) => c.type === wanted.type);
    const since = existing?.status === wanted.status && existing.lastTransitionTime ? existing.lastTransitionTime : timestamp(options.now);
    patch.status.conditions = [{ ...wanted, lastTransitionTime: since }];
  }
  return patch;
}
