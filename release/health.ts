// When a hook has finished: Jobs by their conditions, Pods by phase, other kinds once created.
import type { Values } from "../charts/model.js";
import type { HookOutcome } from "./target.js";
import { isRecord } from "./target.js";

function conditions(obj: Values): Record<string, unknown>[] {
  const status = isRecord(obj.status) ? obj.status : {};
  return Array.isArray(status.conditions) ? status.conditions.filter(isRecord) : [];
}

function hasCondition(obj: Values, type: string): boolean {
  return conditions(obj).some((c) => c.type === type && c.status === "True");
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
