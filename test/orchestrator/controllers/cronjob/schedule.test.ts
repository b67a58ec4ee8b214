import type { V1CronJob } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { decideCron, dueSchedule, jobNameFor, jobsOverHistory, nextScheduleAfter, scheduleProblem, splitTimeZone, type CronAction } from "../../../../orchestrator/controllers/cronjob/schedule.js";

const at = (s: string): number => Date.parse(s);
const MIN = 60_000;

describe("nextScheduleAfter", () => {
  const table: { schedule: string; after: string; tz?: string; want: string }[] = [
    { schedule: "*/5 * * * *", after: "2025-01-01T00:02:00Z", want: "2025-01-01T00:05:00Z" },
    { schedule: "@hourly", after: "2025-01-01T00:30:00Z", want: "2025-01-01T01:00:00Z" },
    { schedule: "@daily", after: "2025-01-01T00:30:00Z", want: "2025-01-02T00:00:00Z" },
    { schedule: "0 9 * * 1", after: "2025-01-01T00:00:00Z", want: "2025-01-06T09:00:00Z" },
    { schedule: "0 9 * * *", after: "2025-01-01T00:00:00Z", tz: "Europe/Berlin", want: "2025-01-01T08:00:00Z" },
    { schedule: "0 9 * * *", after: "2025-07-01T00:00:00Z", tz: "America/New_York", want: "2025-07-01T13:00:00Z" },
    { schedule: "CRON_TZ=Asia/Tokyo 0 9 * * *", after: "2025-01-01T00:00:00Z", want: "2025-01-02T00:00:00Z" },
    { schedule: "TZ=Asia/Tokyo 0 9 * * *", after: "2025-01-01T00:00:00Z", tz: "Europe/Berlin", want: "2025-01-02T00:00:00Z" },
  ];
  for (const c of table) {
    it(`${c.schedule} after ${c.after}${c.tz ? ` in ${c.tz}` : ""}`, () => {
      expect(new Date(nextScheduleAfter(c.schedule, at(c.after), c.tz)).toISOString()).toBe(new Date(at(c.want)).toISOString());
    });
  }
});

describe("dueSchedule", () => {
  it("nothing due before the first time", () => {
    const d = dueSchedule({ schedule: "*/5 * * * *", earliest: at("2025-01-01T00:00:00Z"), now: at("2025-01-01T00:04:59Z") });
    expect(d.missed).toBe(0);
    expect(d.scheduled).toBeUndefined();
  });
  it("the most recent of several missed times", () => {
    const d = dueSchedule({ schedule: "* * * * *", earliest: at("2025-01-01T00:00:00Z"), now: at("2025-01-01T00:03:30Z") });
    expect(d).toMatchObject({ missed: 3, scheduled: at("2025-01-01T00:03:00Z"), next: at("2025-01-01T00:04:00Z") });
  });
  it("past 100 misses estimates the count from the interval", () => {
    const d = dueSchedule({ schedule: "* * * * *", earliest: at("2025-01-01T00:00:00Z"), now: at("2025-01-02T00:00:00Z") });
    expect(d.missed).toBe(1440);
    expect(d.scheduled).toBe(at("2025-01-02T00:00:00Z"));
  });
  it("a starting deadline limits how far back it looks", () => {
    const d = dueSchedule({ schedule: "* * * * *", earliest: at("2025-01-01T00:00:00Z"), now: at("2025-01-02T00:00:30Z"), startingDeadlineSeconds: 120 });
    expect(d.missed).toBe(2);
  });
});

function cronJob(o: { policy?: string; suspend?: boolean; last?: string; sds?: number; schedule?: string } = {}): V1CronJob {
  return {
    metadata: { name: "cj", creationTimestamp: new Date(at("2025-01-01T00:00:00Z")) },
    spec: {
      schedule: o.schedule ?? "*/5 * * * *",
      concurrencyPolicy: o.policy,
      suspend: o.suspend,
      startingDeadlineSeconds: o.sds,
      jobTemplate: { spec: { template: { spec: { containers: [] } } } },
    },
    status: o.last ? { lastScheduleTime: new Date(at(o.last)) } : {},
  };
}

describe("decideCron", () => {
  const now = at("2025-01-01T00:05:10Z");
  const table: { name: string; cj: V1CronJob; active?: number; now?: number; want: Partial<CronAction> }[] = [
    { name: "not yet due waits for the next time", cj: cronJob(), now: at("2025-01-01T00:04:00Z"), want: { kind: "wait", requeueAfterMs: MIN } },
    { name: "due starts", cj: cronJob(), want: { kind: "start", scheduled: at("2025-01-01T00:05:00Z"), replaceActive: false, requeueAfterMs: 5 * MIN - 10_000 } },
    { name: "already started this time waits", cj: cronJob({ last: "2025-01-01T00:05:00Z" }), want: { kind: "wait" } },
    { name: "suspended waits", cj: cronJob({ suspend: true }), want: { kind: "wait" } },
    { name: "Allow starts beside an active job", cj: cronJob({ policy: "Allow" }), active: 1, want: { kind: "start", replaceActive: false } },
    { name: "Forbid skips while a job runs", cj: cronJob({ policy: "Forbid" }), active: 1, want: { kind: "forbidden" } },
    { name: "Replace replaces the running job", cj: cronJob({ policy: "Replace" }), active: 1, want: { kind: "start", replaceActive: true } },
    { name: "past the starting deadline is missed", cj: cronJob({ sds: 5, schedule: "*/5 * * * *" }), want: { kind: "wait" } },
    { name: "within the starting deadline starts", cj: cronJob({ sds: 30 }), want: { kind: "start" } },
    { name: "too many missed still starts the latest", cj: cronJob({ schedule: "* * * * *" }), now: at("2025-01-03T00:00:00Z"), want: { kind: "start", missed: 2880, scheduled: at("2025-01-03T00:00:00Z") } },
  ];
  for (const c of table) it(c.name, () => expect(decideCron({ cronJob: c.cj, activeJobs: c.active ?? 0, now: c.now ?? now })).toMatchObject(c.want));
});

describe("names and history", () => {
  it("names a job by scheduled minutes", () => expect(jobNameFor("cj", at("2025-01-01T00:05:00Z"))).toBe(`cj-${at("2025-01-01T00:05:00Z") / MIN}`));
  it("keeps the newest within each limit", () => {
    const jobs = [
      { name: "a", succeeded: true, startedAt: 1 },
      { name: "b", succeeded: true, startedAt: 2 },
      { name: "c", succeeded: true, startedAt: 3 },
      { name: "d", succeeded: false, startedAt: 4 },
      { name: "e", succeeded: false, startedAt: 5 },
    ];
    expect(jobsOverHistory(jobs, { successful: 1, failed: 1 })).toEqual(["a", "b", "d"]);
    expect(jobsOverHistory(jobs, { successful: 3, failed: 0 })).toEqual(["d", "e"]);
  });
});

describe("schedule problems", () => {
  const table: { schedule: string; tz?: string; want?: string }[] = [
    { schedule: "*/5 * * * *" },
    { schedule: "*/5 * * * *", tz: "Europe/Berlin" },
    { schedule: "*/5 * * * *", tz: "Mars/Olympus", want: "UnknownTimeZone" },
    { schedule: "not a schedule", want: "UnparseableSchedule" },
    { schedule: "61 * * * *", want: "UnparseableSchedule" },
  ];
  for (const c of table) it(`${c.schedule}${c.tz ? ` in ${c.tz}` : ""} → ${c.want ?? "ok"}`, () => expect(scheduleProblem(c.schedule, c.tz)?.reason).toBe(c.want));
  it("an inline TZ= wins over timeZone", () => expect(splitTimeZone("TZ=UTC 0 * * * *", "Asia/Tokyo")).toEqual({ expression: "0 * * * *", timeZone: "UTC", inline: true }));
});
