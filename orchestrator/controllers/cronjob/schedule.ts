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
  const tz = options.timeZone && options.timeZone !== "" ? options.timeZone : "UTC";
  return CronExpressionParser.parse(schedule.trim(), { currentDate: new Date(options.from), tz });
}

/** The first schedule time strictly after `after`. */
export function nextScheduleAfter(schedule: string, after: number, timeZone?: string): number {
  return parseSchedule(schedule, { from: after, timeZone }).next().getTime();
}

export interface DueSchedule {
  /** The most recent schedule time in (earliest, now], if any. */
  scheduled?: number;
  /** Schedule times in (earliest, now], counted up to MAX_MISSED + 1. */
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
  let missed = 0;
  while (missed <= MAX_MISSED) {
    const t = walker.next().getTime();
    if (t > input.now) break;
    missed++;
  }
  if (missed === 0) return { missed, next };
  // prev() from just after now finds the latest time <= now without walking every miss.
  const scheduled = parseSchedule(input.schedule, { from: input.now + 1, timeZone: input.timeZone }).prev().getTime();
  return { scheduled, missed, next };
}

export type CronAction =
  | { kind: "wait"; requeueAfterMs: number; reason?: "TooManyMissed" }
  | { kind: "missedDeadline"; scheduled: number; requeueAfterMs: number }
  | { kind: "forbidden"; scheduled: number; requeueAfterMs: number }
  | { kind: "start"; scheduled: number; replaceActive: boolean; requeueAfterMs: number; tooManyMissed: boolean };

export interface DecideInput {
  cronJob: V1CronJob;
  /** Names of the CronJob's unfinished Jobs. */
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
  const tooManyMissed = due.missed > MAX_MISSED;
  const sds = spec?.startingDeadlineSeconds;
  if (sds !== undefined && due.scheduled + sds * 1000 < now) return { kind: "missedDeadline", scheduled: due.scheduled, requeueAfterMs };
  const policy = spec?.concurrencyPolicy ?? "Allow";
  if (policy === "Forbid" && input.activeJobs > 0) {
    // The run stays due: when the active Job finishes, its update wakes this CronJob again.
    return { kind: "forbidden", scheduled: due.scheduled, requeueAfterMs };
  }
  return { kind: "start", scheduled: due.scheduled, replaceActive: policy === "Replace" && input.activeJobs > 0, requeueAfterMs, tooManyMissed };
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
