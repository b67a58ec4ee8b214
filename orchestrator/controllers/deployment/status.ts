// Deployment status and conditions (deployment/sync.go calculateStatus, progress.go), pure.
// Available: enough pods available (replicas - maxUnavailable). Progressing: True while the
// rollout moves (ReplicaSetUpdated) or when done (NewReplicaSetAvailable), False once nothing
// moved for progressDeadlineSeconds (ProgressDeadlineExceeded), Unknown while paused.
import type { V1Deployment, V1DeploymentCondition, V1DeploymentStatus, V1ReplicaSet } from "@kubernetes/client-node";
import { timeMs } from "../shared/pods.js";
import { maxUnavailable } from "./rolling.js";

export const PROGRESSING = "Progressing";
export const AVAILABLE = "Available";

export interface StatusInput {
  deployment: V1Deployment;
  newRS: V1ReplicaSet | undefined;
  oldRSs: V1ReplicaSet[];
  now: number;
  /** Set when this sync created the new ReplicaSet. */
  createdNewRS?: boolean;
}

export interface StatusResult {
  status: V1DeploymentStatus;
  /** When to look again for the progress deadline. */
  requeueAfter?: number;
}

function counts(input: StatusInput): V1DeploymentStatus {
  const all = input.newRS ? [input.newRS, ...input.oldRSs] : input.oldRSs;
  const sum = (f: (rs: V1ReplicaSet) => number | undefined): number => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const available = sum((rs) => rs.status?.availableReplicas);
  const desired = input.deployment.spec?.replicas ?? 1;
  const status: V1DeploymentStatus = {
    observedGeneration: input.deployment.metadata?.generation,
    replicas: sum((rs) => rs.status?.replicas),
    updatedReplicas: input.newRS?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, desired - available),
  };
  if (input.deployment.status?.collisionCount !== undefined) status.collisionCount = input.deployment.status.collisionCount;
  return status;
}

/** The rollout is done: every replica updated and available, and no old pods left. */
export function deploymentComplete(deployment: V1Deployment, status: V1DeploymentStatus): boolean {
  const desired = deployment.spec?.replicas ?? 1;
  return (
    status.updatedReplicas === desired &&
    status.replicas === desired &&
    status.availableReplicas === desired &&
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0)
  );
}

/** Something moved since the last status: more updated / ready / available pods, fewer old ones. */
function progressed(old: V1DeploymentStatus | undefined, next: V1DeploymentStatus): boolean {
  const o = old ?? { replicas: 0 };
  const oldPods = (s: V1DeploymentStatus): number => (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) ||
    oldPods(next) < oldPods(o) ||
    (next.readyReplicas ?? 0) > (o.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (o.availableReplicas ?? 0)
  );
}

export function setCondition(conditions: V1DeploymentCondition[], next: V1DeploymentCondition): V1DeploymentCondition[] {
  const old = conditions.find((c) => c.type === next.type);
  if (old && old.status === next.status && old.reason === next.reason && old.message === next.message) return conditions;
  const merged = old && old.status === next.status ? { ...next, lastTransitionTime: old.lastTransitionTime } : next;
  return [...conditions.filter((c) => c.type !== next.type), merged];
}

export function condition(options: { type: string; status: string; reason: string; message: string; now: number }): V1DeploymentCondition {
  const at = new Date(Math.floor(options.now / 1000) * 1000);
  return { type: options.type, status: options.status, reason: options.reason, message: options.message, lastUpdateTime: at, lastTransitionTime: at };
}

export function deploymentStatus(input: StatusInput): StatusResult {
  const d = input.deployment;
  const status = counts(input);
  const desired = d.spec?.replicas ?? 1;
  let conditions = [...(d.status?.conditions ?? [])];
  const now = input.now;
  const availableOk = (status.availableReplicas ?? 0) >= desired - maxUnavailable(d);
  conditions = setCondition(
    conditions,
    availableOk
      ? condition({ type: AVAILABLE, status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", now })
      : condition({ type: AVAILABLE, status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability.", now }),
  );
  const progress = progressCondition({ ...input, status, conditions });
  status.conditions = progress.conditions;
  return { status, requeueAfter: progress.requeueAfter };
}

function progressCondition(input: StatusInput & { status: V1DeploymentStatus; conditions: V1DeploymentCondition[] }): { conditions: V1DeploymentCondition[]; requeueAfter?: number } {
  const d = input.deployment;
  const now = input.now;
  const name = input.newRS?.metadata?.name ?? "";
  const current = input.conditions.find((c) => c.type === PROGRESSING);
  if (d.spec?.paused) {
    return { conditions: setCondition(input.conditions, condition({ type: PROGRESSING, status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused", now })) };
  }
  const deadline = d.spec?.progressDeadlineSeconds;
  if (deadline === undefined) return { conditions: input.conditions };
  const set = (status: string, reason: string, message: string): V1DeploymentCondition[] => {
    const next = condition({ type: PROGRESSING, status, reason, message, now });
    if (current && current.status === status) next.lastTransitionTime = current.lastTransitionTime;
    return [...input.conditions.filter((c) => c.type !== PROGRESSING), next];
  };
  if (deploymentComplete(d, input.status)) {
    if (current?.reason === "NewReplicaSetAvailable") return { conditions: input.conditions };
    return { conditions: set("True", "NewReplicaSetAvailable", `ReplicaSet "${name}" has successfully progressed.`) };
  }
  if (input.createdNewRS) {
    return { conditions: set("True", "NewReplicaSetCreated", `Created new replica set "${name}"`), requeueAfter: deadline * 1000 };
  }
  const resumed = current?.reason === "DeploymentPaused" || current === undefined;
  if (resumed || progressed(d.status, input.status) || current?.reason === "NewReplicaSetAvailable") {
    const reason = current?.reason === "DeploymentPaused" ? "DeploymentResumed" : "ReplicaSetUpdated";
    const message = reason === "DeploymentResumed" ? "Deployment is resumed" : `ReplicaSet "${name}" is progressing.`;
    return { conditions: set(reason === "DeploymentResumed" ? "Unknown" : "True", reason, message), requeueAfter: deadline * 1000 };
  }
  if (current?.reason === "ProgressDeadlineExceeded") return { conditions: input.conditions };
  const since = timeMs(current?.lastUpdateTime) ?? now;
  const left = since + deadline * 1000 - now;
  if (left <= 0) return { conditions: set("False", "ProgressDeadlineExceeded", `ReplicaSet "${name}" has timed out progressing.`) };
  return { conditions: input.conditions, requeueAfter: left };
}
