import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { formatIndexes, planJob, podBackoffMs, type JobPlan } from "../../../../orchestrator/controllers/job/plan.js";
import { jobPod } from "../../../../orchestrator/controllers/job/pods.js";

const T0 = Date.parse("2025-01-01T00:00:00Z");

interface JobOpts {
  completions?: number | null;
  parallelism?: number;
  backoffLimit?: number;
  deadline?: number;
  suspend?: boolean;
  indexed?: boolean;
  conditions?: { type: string; reason?: string }[];
}

function job(o: JobOpts = {}): V1Job {
  return {
    metadata: { name: "j", namespace: "default", uid: "u1" },
    spec: {
      completions: o.completions === null ? undefined : (o.completions ?? 1),
      parallelism: o.parallelism ?? 1,
      backoffLimit: o.backoffLimit ?? 6,
      activeDeadlineSeconds: o.deadline,
      suspend: o.suspend,
      completionMode: o.indexed ? "Indexed" : "NonIndexed",
      template: { spec: { containers: [{ name: "c", image: "busybox" }] } },
    },
    status: { startTime: new Date(T0), conditions: (o.conditions ?? []).map((c) => ({ ...c, status: "True" })) },
  };
}

function pod(name: string, phase: string, o: { finishedAt?: number; index?: number; ready?: boolean } = {}): V1Pod {
  return {
    metadata: {
      name,
      creationTimestamp: new Date(T0),
      annotations: o.index === undefined ? {} : { "batch.kubernetes.io/job-completion-index": String(o.index) },
    },
    status: {
      phase,
      conditions: o.ready ? [{ type: "Ready", status: "True" }] : [],
      containerStatuses: o.finishedAt === undefined ? [] : [{ name: "c", image: "x", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: new Date(o.finishedAt) } } }],
    },
  };
}

type Expect = Partial<Pick<JobPlan, "create" | "createIndexes" | "deletePods" | "active" | "succeeded" | "failed" | "finished" | "requeueAfterMs" | "completedIndexes">> & { conditionTypes?: string[] };

const cases: { name: string; job: V1Job; pods: V1Pod[]; now?: number; want: Expect }[] = [
  { name: "new job starts parallelism pods", job: job({ completions: 3, parallelism: 2 }), pods: [], want: { create: 2, active: 0 } },
  { name: "never more than remaining completions", job: job({ completions: 3, parallelism: 2 }), pods: [pod("a", "Succeeded"), pod("b", "Succeeded"), pod("c", "Running")], want: { create: 0, active: 1, succeeded: 2 } },
  { name: "one more after two succeeded", job: job({ completions: 3, parallelism: 2 }), pods: [pod("a", "Succeeded"), pod("b", "Succeeded")], want: { create: 1 } },
  {
    name: "completions reached finishes with both conditions",
    job: job({ completions: 2, parallelism: 2 }),
    pods: [pod("a", "Succeeded"), pod("b", "Succeeded")],
    want: { finished: "Complete", conditionTypes: ["SuccessCriteriaMet", "Complete"], create: 0 },
  },
  { name: "surplus pods deleted, not-ready first", job: job({ completions: 5, parallelism: 1 }), pods: [pod("a", "Running", { ready: true }), pod("b", "Pending")], want: { deletePods: ["b"] } },
  {
    name: "backoff limit exceeded fails and deletes active",
    job: job({ backoffLimit: 1, parallelism: 2, completions: 4 }),
    pods: [pod("a", "Failed", { finishedAt: T0 }), pod("b", "Failed", { finishedAt: T0 }), pod("c", "Running")],
    want: { finished: undefined, conditionTypes: ["FailureTarget"], deletePods: ["c"], failed: 2 },
  },
  {
    name: "failure target becomes Failed when no pod runs",
    job: job({ backoffLimit: 1, conditions: [{ type: "FailureTarget", reason: "BackoffLimitExceeded" }] }),
    pods: [pod("a", "Failed", { finishedAt: T0 }), pod("b", "Failed", { finishedAt: T0 })],
    want: { finished: "Failed", conditionTypes: ["Failed"] },
  },
  { name: "first failure waits 10 s", job: job(), pods: [pod("a", "Failed", { finishedAt: T0 })], now: T0 + 4_000, want: { create: 0, requeueAfterMs: 6_000 } },
  { name: "after the backoff a new pod starts", job: job(), pods: [pod("a", "Failed", { finishedAt: T0 })], now: T0 + 10_000, want: { create: 1 } },
  { name: "third failure waits 40 s", job: job(), pods: ["a", "b", "c"].map((n) => pod(n, "Failed", { finishedAt: T0 })), now: T0 + 39_000, want: { create: 0, requeueAfterMs: 1_000 } },
  { name: "deadline requeues for the remaining time", job: job({ deadline: 60 }), pods: [pod("a", "Running")], now: T0 + 20_000, want: { requeueAfterMs: 40_000, create: 0 } },
  { name: "deadline exceeded fails", job: job({ deadline: 60 }), pods: [pod("a", "Running")], now: T0 + 60_000, want: { conditionTypes: ["FailureTarget"], deletePods: ["a"] } },
  { name: "suspended job deletes its pods", job: job({ suspend: true }), pods: [pod("a", "Running")], want: { deletePods: ["a"], create: 0 } },
  { name: "work queue job starts parallelism", job: job({ completions: null, parallelism: 3 }), pods: [], want: { create: 3 } },
  { name: "work queue job completes when one succeeded and none run", job: job({ completions: null, parallelism: 2 }), pods: [pod("a", "Succeeded"), pod("b", "Succeeded")], want: { finished: "Complete" } },
  {
    name: "indexed job starts missing indexes",
    job: job({ completions: 4, parallelism: 2, indexed: true }),
    pods: [pod("a", "Succeeded", { index: 0 }), pod("b", "Running", { index: 1 })],
    want: { createIndexes: [2], create: 1, completedIndexes: "0" },
  },
];

describe("planJob", () => {
  for (const c of cases) {
    it(c.name, () => {
      const plan = planJob({ job: c.job, pods: c.pods, now: c.now ?? T0 });
      const { conditionTypes, finished: _finished, ...rest } = c.want;
      expect(plan).toMatchObject(rest);
      if ("finished" in c.want) expect(plan.finished).toBe(c.want.finished);
      if (conditionTypes) expect(plan.conditions.map((x) => x.type)).toEqual(conditionTypes);
    });
  }
});

describe("podBackoffMs", () => {
  const table: [number, number][] = [
    [0, 0],
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [6, 320_000],
    [7, 360_000],
    [50, 360_000],
  ];
  for (const [failures, want] of table) it(`${failures} failures → ${want} ms`, () => expect(podBackoffMs(failures)).toBe(want));
});

describe("formatIndexes", () => {
  it("compresses runs", () => expect(formatIndexes([0, 1, 2, 4, 6, 7])).toBe("0-2,4,6-7"));
  it("empty", () => expect(formatIndexes([])).toBe(""));
});

describe("jobPod", () => {
  it("sets the owner and the index", () => {
    const p = jobPod(job({ indexed: true }), 3);
    expect(p.metadata?.generateName).toBe("j-3-");
    expect(p.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Job", uid: "u1", controller: true });
    expect(p.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"]).toBe("3");
    expect(p.spec?.containers[0].env).toEqual([{ name: "JOB_COMPLETION_INDEX", value: "3" }]);
    expect(p.spec?.hostname).toBe("j-3");
  });
});
