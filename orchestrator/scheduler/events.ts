// Which cluster changes can make a pod that a plugin rejected schedulable (kube-scheduler's
// EventsToRegister / queueing hints, coarsely): a pod waits in the unschedulable pool until an
// event one of its rejecting plugins cares about arrives, or the periodic flush.
export type ClusterEvent = "NodeAdd" | "NodeUpdate" | "AssignedPodAdd" | "AssignedPodUpdate" | "AssignedPodDelete" | "ClaimChange" | "VolumeChange";

const INTERESTS: Record<string, readonly ClusterEvent[]> = {
  NodeUnschedulable: ["NodeAdd", "NodeUpdate"],
  TaintToleration: ["NodeAdd", "NodeUpdate"],
  NodeAffinity: ["NodeAdd", "NodeUpdate"],
  NodePorts: ["NodeAdd", "AssignedPodDelete"],
  NodeResourcesFit: ["NodeAdd", "NodeUpdate", "AssignedPodUpdate", "AssignedPodDelete"],
  VolumeBinding: ["NodeAdd", "NodeUpdate", "ClaimChange", "VolumeChange"],
  PodTopologySpread: ["NodeAdd", "NodeUpdate", "AssignedPodAdd", "AssignedPodUpdate", "AssignedPodDelete"],
  InterPodAffinity: ["NodeAdd", "NodeUpdate", "AssignedPodAdd", "AssignedPodUpdate", "AssignedPodDelete"],
};

/** Whether the event may help a pod rejected by these plugins (none known: any event may). */
export function mayHelp(event: ClusterEvent, rejectedBy: ReadonlySet<string>): boolean {
  if (rejectedBy.size === 0) return true;
  for (const plugin of rejectedBy) {
    const interests = INTERESTS[plugin];
    if (!interests || interests.includes(event)) return true;
  }
  return false;
}
