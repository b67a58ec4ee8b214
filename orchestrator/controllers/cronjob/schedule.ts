// CronJob scheduling decisions as pure functions (after kube-controller-manager's
// pkg/controller/cronjob/utils.go and cronjob_controllerv2.go): which scheduled time is due,
// how many were missed, whether the starting deadline passed, and what the concurrency
// policy allows. cron-parser evaluates the schedule in the CronJob's timeZone.
import { CronExpressionParser, type CronExpression } from "cron-parser";
import type { V1CronJob } from "@kubernetes/client-node";
import { millisOf } from "../job/time.js";

/** Kubernetes stops counting missed schedules here and reports "too many missed start times". */
export const MAX_MISSED = 100;

export function parseSchedule(schedule: string, options: { from: number; timeZone?: string }): CronExpression {
  const { expression, timeZone } = splitTimeZone(schedule, options.timeZone);
  return CronExpressionParser.parse(expression, { currentDate: new Date(options.from), tz: timeZone ?? "UTC" });
}

/**
 * A leading "TZ=zone" or "CRON_TZ=zone" in the schedule (not officially supported by
 * Kubernetes, but honoured) wins over spec.timeZone; an empty timeZone means UTC.
 */
export function splitTimeZone(schedule: string, timeZone?: string): { expression: string; timeZone?: string; inline: boolean } {
  const m = /^\s*(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(schedule);
  if (m) return { expression: m[2].trim(), timeZone: m[1], inline: true };
  return { expression: schedule.trim(), timeZone: timeZone === "" ? undefined : timeZone, inline: false };
}

/** True when the runtime knows the IANA zone (time.LoadLocation's job). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type ScheduleProblem = { reason: "UnknownTimeZone" | "UnparseableSchedule"; message: string };

/** Why the controller cannot schedule this CronJob at all, as the event it records says. */
export function scheduleProblem(schedule: string, timeZone: string | undefined): ScheduleProblem | undefined {
  if (timeZone !== undefined && timeZone !== "" && !isKnownTimeZone(timeZone)) {
    return { reason: "UnknownTimeZone", message: `invalid timeZone: "${timeZone}": unknown time zone ${timeZone}` };
  }
  try {
    parseSchedule(schedule, { from: 0, timeZone });
    return undefined;
  } catch (err) {
    return { reason: "UnparseableSchedule", message: `unparseable schedule: "${schedule}" : ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The first schedule time strictly after `after`. */
export function nextScheduleAfter(schedule: string, after: number, timeZone?: string): number {
  return parseSchedule(schedule, { from: after, timeZone }).next().getTime();
}

export interface DueSchedule {
  /** The most recent schedule time in (earliest, now], if any. */
  scheduled?: number;
  /** Schedule times in (earliest, now]: counted up to MAX_MISSED, estimated past it. */
  missed: number;
  /** The next schedule time after now. */
  next: number;
}

export interface DueInput {
  schedule: string;
  timeZone?: string;
  /** lastScheduleTime, else the CronJob's creation time. */
  earliest: number;
  startingDeadlineSeconds?: number;
  now: number;
}

export function dueSchedule(input: DueInput): DueSchedule {
  let earliest = input.earliest;
  // With a starting deadline, times older than the deadline can never start: skip them.
  if (input.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, input.now - input.startingDeadlineSeconds * 1000);
  const next = nextScheduleAfter(input.schedule, input.now, input.timeZone);
  const walker = parseSchedule(input.schedule, { from: earliest, timeZone: input.timeZone });
  const first = walker.next().getTime();
  if (first > input.now) return { missed: 0, next };
  let missed = 1;
  const second = walker.next().getTime();
  for (let t = second; t <= input.now && missed <= MAX_MISSED; t = walker.next().getTime()) missed++;
  // Past the cap, estimate the count from the first interval as getMostRecentScheduleTime does.
  if (missed > MAX_MISSED) missed = Math.floor((input.now - first) / Math.max(1000, second - first)) + 1;
  // prev() from just after now finds the latest time <= now without walking every miss.
  const scheduled = parseSchedule(input.schedule, { from: input.now + 1, timeZone: input.timeZone }).prev().getTime();
  return { scheduled, missed, next };
}

export type CronAction =
  | { kind: "wait"; requeueAfterMs: number; reason?: "TooManyMissed" }
  | { kind: "missedDeadline"; scheduled: number; requeueAfterMs: number }
  | { kind: "forbidden"; scheduled: number; requeueAfterMs: number }
  | { kind: "start"; scheduled: number; replaceActive: boolean; requeueAfterMs: number; missed: number };

export interface DecideInput {
  cronJob: V1CronJob;
  /** How many Jobs status.active lists. */
  activeJobs: number;
  now: number;
}

export function decideCron(input: DecideInput): CronAction {
  const { cronJob, now } = input;
  const spec = cronJob.spec;
  const schedule = spec?.schedule ?? "";
  const earliest = millisOf(cronJob.status?.lastScheduleTime) ?? millisOf(cronJob.metadata?.creationTimestamp) ?? now;
  const due = dueSchedule({ schedule, timeZone: spec?.timeZone, earliest, startingDeadlineSeconds: spec?.startingDeadlineSeconds, now });
  const requeueAfterMs = Math.max(1, due.next - now);
  if (spec?.suspend === true || due.scheduled === undefined) return { kind: "wait", requeueAfterMs };
  const sds = spec?.startingDeadlineSeconds;
  if (sds !== undefined && due.scheduled + sds * 1000 < now) return { kind: "missedDeadline", scheduled: due.scheduled, requeueAfterMs };
  const policy = spec?.concurrencyPolicy ?? "Allow";
  if (policy === "Forbid" && input.activeJobs > 0) {
    // The run stays due: when the active Job finishes, its update wakes this CronJob again.
    return { kind: "forbidden", scheduled: due.scheduled, requeueAfterMs };
  }
  return { kind: "start", scheduled: due.scheduled, replaceActive: policy === "Replace" && input.activeJobs > 0, requeueAfterMs, missed: due.missed };
}

/** `NAME-<scheduled time in minutes since the epoch>`, so a restart never starts a run twice. */
export function jobNameFor(cronJobName: string, scheduled: number): string {
  return `${cronJobName}-${Math.floor(scheduled / 60_000)}`;
}

export interface FinishedJob {
  name: string;
  succeeded: boolean;
  startedAt: number;
}

/** Finished Jobs beyond the history limits, oldest first. */
export function jobsOverHistory(jobs: FinishedJob[], limits: { successful: number; failed: number }): string[] {
  const pick = (ok: boolean, limit: number): string[] => {
    const sorted = jobs.filter((j) => j.succeeded === ok).sort((a, b) => a.startedAt - b.startedAt || a.name.localeCompare(b.name));
    return sorted.slice(0, Math.max(0, sorted.length - Math.max(0, limit))).map((j) => j.name);
  };
  return [...pick(true, limits.successful), ...pick(false, limits.failed)];
}
