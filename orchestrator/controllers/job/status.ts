// Job status as the controller writes it (JSON, second-precision times): reading it off a cached
// Job, conditions set the way ensureJobConditionStatus does, moving pods out of
// status.uncountedTerminatedPods into the counters once their finalizer is gone, and the
// terminal condition that only lands when nothing is left uncounted or terminating.
import type { V1Job } from "@kubernetes/client-node";
import { millisOf, rfc3339 } from "./time.js";

export type JobConditionType = "Complete" | "Failed" | "SuccessCriteriaMet" | "FailureTarget" | "Suspended";

export interface WireCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

export interface Uncounted {
  succeeded?: string[];
  failed?: string[];
}

export interface WireJobStatus {
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  ready?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods: Uncounted;
  conditions?: WireCondition[];
}

export interface NewCondition {
  type: JobConditionType;
  status?: "True" | "False";
  reason: string;
  message: string;
}

const time = (v: unknown): string | undefined => {
  const ms = millisOf(v);
  return ms === undefined ? undefined : rfc3339(ms);
};

const count = (v: unknown): number | undefined => (typeof v === "number" && v !== 0 ? v : undefined);
const uids = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length > 0 ? v.filter((u): u is string => typeof u === "string") : undefined);

/** The cached Job's status in written form (zero counters omitted, as Go's omitempty does). */
export function wireStatusOf(job: V1Job): WireJobStatus {
  const s = job.status ?? {};
  const out: WireJobStatus = {
    startTime: time(s.startTime),
    completionTime: time(s.completionTime),
    active: count(s.active),
    succeeded: count(s.succeeded),
    failed: count(s.failed),
    terminating: s.terminating,
    ready: s.ready,
    completedIndexes: s.completedIndexes || undefined,
    failedIndexes: s.failedIndexes ?? undefined,
    uncountedTerminatedPods: { succeeded: uids(s.uncountedTerminatedPods?.succeeded), failed: uids(s.uncountedTerminatedPods?.failed) },
    conditions: s.conditions?.map((c) => ({ ...c, lastProbeTime: time(c.lastProbeTime), lastTransitionTime: time(c.lastTransitionTime) })),
  };
  return out;
}

export function findCondition(status: WireJobStatus, type: string): WireCondition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

export function conditionTrue(status: WireJobStatus, type: string): WireCondition | undefined {
  const c = findCondition(status, type);
  return c?.status === "True" ? c : undefined;
}

/** Sets or adds a condition; a False condition is never added from nothing. Returns whether it changed. */
export function ensureCondition(status: WireJobStatus, c: NewCondition, now: number): boolean {
  const state = c.status ?? "True";
  const at = rfc3339(now);
  const fresh: WireCondition = { type: c.type, status: state, reason: c.reason, message: c.message, lastProbeTime: at, lastTransitionTime: at };
  const list = status.conditions ?? [];
  const i = list.findIndex((x) => x.type === c.type);
  if (i >= 0) {
    const old = list[i];
    if (old.status === state && (old.reason ?? "") === c.reason && (old.message ?? "") === c.message) return false;
    status.conditions = list.map((x, j) => (j === i ? fresh : x));
    return true;
  }
  if (state === "False") return false;
  status.conditions = [...list, fresh];
  return true;
}

/** Uncounted pods whose finalizer is gone move into the counters. Returns whether anything moved. */
export function countRemoved(status: WireJobStatus, withFinalizer: ReadonlySet<string>): boolean {
  const u = status.uncountedTerminatedPods;
  const keepS = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  const keepF = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  const movedS = (u.succeeded ?? []).length - keepS.length;
  const movedF = (u.failed ?? []).length - keepF.length;
  if (movedS === 0 && movedF === 0) return false;
  status.succeeded = (status.succeeded ?? 0) + movedS || undefined;
  status.failed = (status.failed ?? 0) + movedF || undefined;
  status.uncountedTerminatedPods = { succeeded: keepS.length > 0 ? keepS : undefined, failed: keepF.length > 0 ? keepF : undefined };
  return true;
}

export function uncountedTotal(status: WireJobStatus): number {
  return (status.uncountedTerminatedPods.succeeded ?? []).length + (status.uncountedTerminatedPods.failed ?? []).length;
}

/**
 * Adds the terminal condition (Complete or Failed) once every finished pod is counted and no
 * pod is still terminating, as Kubernetes 1.31+ does. Returns whether the Job finished now.
 */
export function enactFinish(status: WireJobStatus, finish: NewCondition | undefined, now: number): boolean {
  if (!finish || uncountedTotal(status) > 0 || (status.terminating ?? 0) > 0) return false;
  if (conditionTrue(status, finish.type)) return false;
  ensureCondition(status, finish, now);
  if (finish.type === "Complete") status.completionTime = rfc3339(now);
  return true;
}

/** Comparable form: undefined fields dropped, keys in a fixed order. */
export function statusKey(status: WireJobStatus): string {
  return JSON.stringify(status, (_k, v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
