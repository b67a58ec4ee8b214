// spec.podFailurePolicy: which rule a failed pod matches, after
// pkg/controller/job/pod_failure_policy.go. Rules are tried in order; an onExitCodes rule looks
// at terminated containers (app first, then init) with a non-zero exit code, an onPodConditions
// rule at the pod's conditions. The first match decides the action.
import type { V1ContainerStatus, V1Job, V1Pod, V1PodFailurePolicyOnExitCodesRequirement } from "@kubernetes/client-node";

export type FailureAction = "FailJob" | "FailIndex" | "Ignore" | "Count";

export interface FailureMatch {
  /** Set for a FailJob match: the message of the Job's PodFailurePolicy condition. */
  failJobMessage?: string;
  /** False for an Ignore match: the failure does not count towards backoffLimit. */
  countFailed: boolean;
  action?: FailureAction;
}

function exitCodeMatches(code: number, req: V1PodFailurePolicyOnExitCodesRequirement): boolean {
  const listed = req.values.includes(code);
  if (req.operator === "In") return listed;
  if (req.operator === "NotIn") return !listed;
  return false;
}

function matchingContainer(statuses: V1ContainerStatus[] | undefined, req: V1PodFailurePolicyOnExitCodesRequirement): V1ContainerStatus | undefined {
  for (const s of statuses ?? []) {
    const code = s.state?.terminated?.exitCode;
    // A container still terminating has no exit code; exit code 0 never matches.
    if (code === undefined || code === 0) continue;
    if (req.containerName !== undefined && req.containerName !== s.name) continue;
    if (exitCodeMatches(code, req)) return s;
  }
  return undefined;
}

function isAction(value: string): value is FailureAction {
  return value === "FailJob" || value === "FailIndex" || value === "Ignore" || value === "Count";
}

export function matchPodFailurePolicy(job: V1Job, pod: V1Pod): FailureMatch {
  const rules = job.spec?.podFailurePolicy?.rules ?? [];
  const where = `${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? ""}`;
  for (const [index, rule] of rules.entries()) {
    if (!isAction(rule.action)) continue;
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const s = matchingContainer(pod.status?.containerStatuses, rule.onExitCodes) ?? matchingContainer(pod.status?.initContainerStatuses, rule.onExitCodes);
      if (!s) continue;
      failJobMessage = `Container ${s.name} for pod ${where} failed with exit code ${s.state?.terminated?.exitCode ?? 0} matching FailJob rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const patterns = rule.onPodConditions;
      const c = (pod.status?.conditions ?? []).find((pc) => patterns.some((p) => p.type === pc.type && (p.status ?? "True") === pc.status));
      if (!c) continue;
      failJobMessage = `Pod ${where} has condition ${c.type} matching FailJob rule at index ${index}`;
    } else {
      continue;
    }
    if (rule.action === "Ignore") return { countFailed: false, action: "Ignore" };
    if (rule.action === "FailJob") return { countFailed: true, action: "FailJob", failJobMessage };
    return { countFailed: true, action: rule.action };
  }
  return { countFailed: true };
}
