// Health per kind while kube/wait is not in: undefined when ready, else why not. Unknown kinds
// are healthy once they exist.
import type { Values } from "../charts/model.js";
import type { HookOutcome } from "./target.js";
import { isRecord } from "./target.js";

function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

function conditions(obj: Values): Record<string, unknown>[] {
  const status = isRecord(obj.status) ? obj.status : {};
  return Array.isArray(status.conditions) ? status.conditions.filter(isRecord) : [];
}

function hasCondition(obj: Values, type: string): boolean {
  return conditions(obj).some((c) => c.type === type && c.status === "True");
}

export function objectHealth(obj: Values | undefined): string | undefined {
  if (!obj) return "not found";
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const status = isRecord(obj.status) ? obj.status : {};
  switch (obj.kind) {
    case "Deployment":
    case "StatefulSet": {
      const want = spec.replicas === undefined ? 1 : num(spec.replicas);
      const ready = num(obj.kind === "Deployment" ? status.availableReplicas : status.readyReplicas);
      return ready >= want ? undefined : `${ready}/${want} ready`;
    }
    case "DaemonSet":
      return num(status.numberReady) >= num(status.desiredNumberScheduled) && status.desiredNumberScheduled !== undefined ? undefined : "not ready";
    case "Job":
      return hasCondition(obj, "Complete") ? undefined : hasCondition(obj, "Failed") ? "failed" : "not complete";
    case "Pod":
      return hasCondition(obj, "Ready") || status.phase === "Succeeded" ? undefined : `phase ${String(status.phase ?? "Pending")}`;
    case "PersistentVolumeClaim":
      return status.phase === "Bound" ? undefined : "not bound";
    case "CustomResourceDefinition":
      return hasCondition(obj, "Established") ? undefined : "not established";
    default:
      return undefined;
  }
}

/** A hook's end: Jobs by condition, Pods by phase, anything else once it exists. */
export function hookOutcome(obj: Values | undefined): HookOutcome | undefined {
  if (!obj) return undefined;
  const status = isRecord(obj.status) ? obj.status : {};
  if (obj.kind === "Job") {
    if (hasCondition(obj, "Complete")) return { phase: "Succeeded" };
    const failed = conditions(obj).find((c) => c.type === "Failed" && c.status === "True");
    return failed ? { phase: "Failed", message: String(failed.message ?? failed.reason ?? "job failed") } : undefined;
  }
  if (obj.kind === "Pod") {
    if (status.phase === "Succeeded") return { phase: "Succeeded" };
    if (status.phase === "Failed") return { phase: "Failed", message: String(status.message ?? "pod failed") };
    return undefined;
  }
  return { phase: "Succeeded" };
}
