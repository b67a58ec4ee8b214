import type { V1Job, V1Pod, V1PodFailurePolicyRule } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { formatIndexes, parseIndexes, formatIntervals, firstPendingIndexes } from "../../../../orchestrator/controllers/job/indexes.js";
import { planJob, type JobPlan } from "../../../../orchestrator/controllers/job/plan.js";
import { podBackoffMs, TRACKING_FINALIZER } from "../../../../orchestrator/controllers/job/podState.js";
import { jobPod } from "../../../../orchestrator/controllers/job/pods.js";
import { countRemoved, enactFinish, type WireJobStatus } from "../../../../orchestrator/controllers/job/status.js";

const T0 = Date.parse("2025-01-01T00:00:00Z");
const at = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

interface JobOpts {
  completions?: number | null;
  parallelism?: number;
  backoffLimit?: number;
  deadline?: number;
  suspend?: boolean;
  indexed?: boolean;
  rules?: V1PodFailurePolicyRule[];
  perIndex?: number;
  maxFailedIndexes?: number;
  successPolicy?: { succeededIndexes?: string; succeededCount?: number }[];
  status?: Record<string, unknown>;
  conditions?: { type: string; status?: string; reason?: string; message?: string }[];
}

function job(o: JobOpts = {}): V1Job {
  const status = { startTime: at(T0), ...(o.status ?? {}), conditions: (o.conditions ?? []).map((c) => ({ status: "True", ...c })) };
  return {
    metadata: { name: "j", namespace: "default", uid: "u1" },
    spec: {
      completions: o.completions === null ? undefined : (o.completions ?? 1),
      parallelism: o.parallelism ?? 1,
      backoffLimit: o.backoffLimit ?? 6,
      activeDeadlineSeconds: o.deadline,
      suspend: o.suspend,
      completionMode: o.indexed ? "Indexed" : "NonIndexed",
      podFailurePolicy: o.rules ? { rules: o.rules } : undefined,
      backoffLimitPerIndex: o.perIndex,
      maxFailedIndexes: o.maxFailedIndexes,
      successPolicy: o.successPolicy ? { rules: o.successPolicy } : undefined,
      template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } },
    },
    // Informer objects are JSON: times are strings whatever the generated types say.
    status: status as unknown as V1Job["status"],
  };
}

interface PodOpts {
  finishedAt?: number;
  index?: number;
  ready?: boolean;
  exitCode?: number;
  tracked?: boolean;
  deleting?: boolean;
  conditions?: { type: string; status: string }[];
  annotations?: Record<string, string>;
}

function pod(name: string, phase: string, o: PodOpts = {}): V1Pod {
  const terminated = o.finishedAt === undefined && o.exitCode === undefined ? undefined : { exitCode: o.exitCode ?? (phase === "Failed" ? 1 : 0), finishedAt: at(o.finishedAt ?? T0) };
  const annotations = { ...(o.annotations ?? {}), ...(o.index === undefined ? {} : { "batch.kubernetes.io/job-completion-index": String(o.index) }) };
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: at(T0),
      finalizers: o.tracked === false ? [] : [TRACKING_FINALIZER],
      deletionTimestamp: o.deleting ? at(T0) : undefined,
      annotations,
    },
    status: {
      phase,
      conditions: [...(o.ready ? [{ type: "Ready", status: "True" }] : []), ...(o.conditions ?? [])],
      containerStatuses: terminated ? [{ name: "c", image: "x", imageID: "", ready: false, restartCount: 0, state: { terminated } }] : [],
    },
  } as unknown as V1Pod;
}

interface Want {
  create?: number;
  createIndexes?: number[];
  deleteFinishing?: string[];
  deleteUntracked?: string[];
  removeFinalizers?: string[];
  status?: Partial<WireJobStatus>;
  conditions?: string[];
  finish?: string;
  finishReason?: string;
  requeueAfterMs?: number;
  events?: string[];
}

const names = (pods: V1Pod[]) => pods.map((p) => p.metadata?.name ?? "");
const rule = (action: string, values: number[], operator = "In"): V1PodFailurePolicyRule => ({ action, onExitCodes: { operator, values } });

const cases: { name: string; job: V1Job; pods: V1Pod[]; now?: number; removing?: string[]; want: Want }[] = [
  { name: "new job starts parallelism pods", job: job({ completions: 3, parallelism: 2 }), pods: [], want: { create: 2, status: { active: 2, ready: 0, terminating: 0 } } },
  { name: "a suspended new job has no startTime", job: job({ suspend: true, status: { startTime: undefined } }), pods: [], want: { create: 0, status: { startTime: undefined } } },
  {
    name: "counted successes stay counted without their pods",
    job: job({ completions: 3, parallelism: 2, status: { succeeded: 2 } }),
    pods: [pod("c", "Running")],
    want: { create: 0, status: { succeeded: 2, active: 1 } },
  },
  {
    name: "a finished tracked pod goes to uncounted and loses its finalizer",
    job: job({ completions: 3, parallelism: 2 }),
    pods: [pod("a", "Succeeded", { finishedAt: T0 }), pod("b", "Running")],
    want: { create: 1, removeFinalizers: ["a"], status: { uncountedTerminatedPods: { succeeded: ["uid-a"] }, succeeded: undefined } },
  },
  {
    name: "uncounted pods whose finalizer is gone move into the counters",
    job: job({ completions: 3, status: { uncountedTerminatedPods: { succeeded: ["uid-a"], failed: ["uid-x"] } } }),
    pods: [pod("a", "Succeeded", { tracked: false }), pod("x", "Failed", { tracked: false, finishedAt: T0 })],
    now: T0 + 60_000,
    want: { status: { succeeded: 1, failed: 1, uncountedTerminatedPods: {} }, create: 1 },
  },
  {
    name: "a pod whose finalizer removal is in flight is not counted twice",
    job: job({ completions: 3, status: { succeeded: 1 } }),
    pods: [pod("a", "Succeeded")],
    removing: ["uid-a"],
    want: { removeFinalizers: [], status: { succeeded: 1, uncountedTerminatedPods: {} } },
  },
  {
    name: "completions reached: SuccessCriteriaMet now, Complete once counted",
    job: job({ completions: 2, parallelism: 2, status: { succeeded: 1 } }),
    pods: [pod("b", "Succeeded")],
    want: { conditions: ["SuccessCriteriaMet"], finish: "Complete", finishReason: "CompletionsReached", create: 0 },
  },
  { name: "surplus pods deleted untracked, not-ready first", job: job({ completions: 5, parallelism: 1 }), pods: [pod("a", "Running", { ready: true }), pod("b", "Pending")], want: { deleteUntracked: ["b"], status: { terminating: 1, active: 1 } } },
  {
    name: "backoff limit exceeded: FailureTarget, active pods deleted and counted failed",
    job: job({ backoffLimit: 1, parallelism: 2, completions: 4 }),
    pods: [pod("a", "Failed", { finishedAt: T0 }), pod("b", "Failed", { finishedAt: T0 }), pod("c", "Running")],
    want: { conditions: ["FailureTarget"], finish: "Failed", finishReason: "BackoffLimitExceeded", deleteFinishing: ["c"], removeFinalizers: ["a", "b", "c"], status: { terminating: 1, active: undefined } },
  },
  {
    name: "an existing FailureTarget leads to Failed",
    job: job({ backoffLimit: 1, status: { failed: 2 }, conditions: [{ type: "FailureTarget", reason: "BackoffLimitExceeded", message: "m" }] }),
    pods: [pod("a", "Failed", { tracked: false }), pod("b", "Failed", { tracked: false })],
    want: { conditions: ["FailureTarget"], finish: "Failed", finishReason: "BackoffLimitExceeded" },
  },
  { name: "first failure waits 10 s", job: job(), pods: [pod("a", "Failed", { finishedAt: T0 })], now: T0 + 4_000, want: { create: 0, requeueAfterMs: 6_000 } },
  { name: "after the backoff a new pod starts", job: job(), pods: [pod("a", "Failed", { finishedAt: T0 })], now: T0 + 10_000, want: { create: 1 } },
  { name: "third failure waits 40 s", job: job(), pods: ["a", "b", "c"].map((n) => pod(n, "Failed", { finishedAt: T0 })), now: T0 + 39_000, want: { create: 0, requeueAfterMs: 1_000 } },
  { name: "deadline requeues for the remaining time", job: job({ deadline: 60 }), pods: [pod("a", "Running")], now: T0 + 20_000, want: { requeueAfterMs: 40_000, create: 0 } },
  { name: "deadline exceeded fails", job: job({ deadline: 60 }), pods: [pod("a", "Running")], now: T0 + 60_000, want: { conditions: ["FailureTarget"], finishReason: "DeadlineExceeded", deleteFinishing: ["a"] } },
  {
    name: "suspending deletes active pods untracked and says Suspended",
    job: job({ suspend: true }),
    pods: [pod("a", "Running")],
    want: { deleteUntracked: ["a"], create: 0, conditions: ["Suspended"], events: ["Suspended"], removeFinalizers: [] },
  },
  {
    name: "resuming sets Suspended False and restarts the clock",
    job: job({ conditions: [{ type: "Suspended", reason: "JobSuspended", message: "Job suspended" }] }),
    pods: [],
    now: T0 + 90_000,
    want: { create: 1, events: ["Resumed"], status: { startTime: at(T0 + 90_000) } },
  },
  { name: "work queue job starts parallelism", job: job({ completions: null, parallelism: 3 }), pods: [], want: { create: 3 } },
  { name: "work queue job succeeds when one succeeded and none run", job: job({ completions: null, parallelism: 2, status: { succeeded: 2 } }), pods: [], want: { finish: "Complete" } },
  { name: "work queue job waits for the others after a success", job: job({ completions: null, parallelism: 2 }), pods: [pod("a", "Succeeded"), pod("b", "Running")], want: { create: 0, finish: undefined } },
  {
    name: "indexed job starts missing indexes and records completed ones",
    job: job({ completions: 4, parallelism: 2, indexed: true, status: { completedIndexes: "3" } }),
    pods: [pod("a", "Succeeded", { index: 0 }), pod("b", "Running", { index: 1 })],
    want: { createIndexes: [2], status: { completedIndexes: "0,3", succeeded: 2, uncountedTerminatedPods: {} }, removeFinalizers: ["a"] },
  },
  {
    name: "indexed job removes a duplicate index",
    job: job({ completions: 3, parallelism: 3, indexed: true }),
    pods: [pod("a", "Running", { index: 0, ready: true }), pod("b", "Pending", { index: 0 }), pod("c", "Running", { index: 1 })],
    want: { deleteUntracked: ["b"], create: 0 },
  },
  {
    name: "podFailurePolicy FailJob on an exit code",
    job: job({ rules: [rule("FailJob", [42])] }),
    pods: [pod("a", "Failed", { exitCode: 42 })],
    want: { conditions: ["FailureTarget"], finishReason: "PodFailurePolicy", status: { uncountedTerminatedPods: { failed: ["uid-a"] } } },
  },
  {
    name: "podFailurePolicy Ignore: not counted, replaced",
    job: job({ rules: [rule("Ignore", [3])], backoffLimit: 0 }),
    pods: [pod("a", "Failed", { exitCode: 3, finishedAt: T0 })],
    now: T0 + 10_000,
    want: { create: 1, removeFinalizers: ["a"], status: { uncountedTerminatedPods: {}, failed: undefined } },
  },
  {
    name: "podFailurePolicy Ignore on DisruptionTarget",
    job: job({ rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }], backoffLimit: 0 }),
    pods: [pod("a", "Failed", { exitCode: 137, conditions: [{ type: "DisruptionTarget", status: "True" }] })],
    want: { conditions: [], status: { uncountedTerminatedPods: {} } },
  },
  {
    name: "podFailurePolicy NotIn counts other exit codes",
    job: job({ rules: [rule("FailJob", [0, 1], "NotIn")] }),
    pods: [pod("a", "Failed", { exitCode: 1, finishedAt: T0 })],
    want: { conditions: [], status: { uncountedTerminatedPods: { failed: ["uid-a"] } } },
  },
  {
    name: "with a podFailurePolicy a terminating pod is replaced only once it failed",
    job: job({ rules: [rule("Count", [1])], parallelism: 1, completions: 1 }),
    pods: [pod("a", "Running", { deleting: true })],
    want: { create: 0, removeFinalizers: [], status: { terminating: 1 } },
  },
  {
    name: "without one a terminating pod counts failed and is replaced",
    job: job({ parallelism: 1, completions: 1 }),
    pods: [pod("a", "Running", { deleting: true })],
    now: T0 + 10_000,
    want: { create: 1, removeFinalizers: ["a"], status: { terminating: 1, uncountedTerminatedPods: { failed: ["uid-a"] } } },
  },
  {
    name: "backoffLimitPerIndex keeps the failed pod until its replacement exists",
    job: job({ indexed: true, completions: 2, parallelism: 2, perIndex: 1, backoffLimit: 1000 }),
    pods: [pod("a", "Failed", { index: 0, finishedAt: T0, annotations: { "batch.kubernetes.io/job-index-failure-count": "0" } }), pod("b", "Running", { index: 1 })],
    now: T0 + 10_000,
    want: { createIndexes: [0], removeFinalizers: [], status: { failedIndexes: "" } },
  },
  {
    name: "backoffLimitPerIndex fails an index at its limit and the Job when all are done",
    job: job({ indexed: true, completions: 2, parallelism: 2, perIndex: 1, backoffLimit: 1000, status: { completedIndexes: "1" } }),
    pods: [pod("a", "Failed", { index: 0, finishedAt: T0, annotations: { "batch.kubernetes.io/job-index-failure-count": "1" } })],
    want: { finishReason: "FailedIndexes", status: { failedIndexes: "0" }, removeFinalizers: ["a"] },
  },
  {
    name: "maxFailedIndexes exceeded",
    job: job({ indexed: true, completions: 4, parallelism: 4, perIndex: 0, maxFailedIndexes: 0, backoffLimit: 1000 }),
    pods: [pod("a", "Failed", { index: 2, finishedAt: T0 }), pod("b", "Running", { index: 0 })],
    want: { finishReason: "MaxFailedIndexesExceeded", deleteFinishing: ["b"] },
  },
  {
    name: "successPolicy met ends the Job with SuccessCriteriaMet",
    job: job({ indexed: true, completions: 3, parallelism: 3, successPolicy: [{ succeededIndexes: "0", succeededCount: 1 }] }),
    pods: [pod("a", "Succeeded", { index: 0 }), pod("b", "Running", { index: 1 })],
    want: { conditions: ["SuccessCriteriaMet"], finish: "Complete", finishReason: "SuccessPolicy", deleteFinishing: ["b"], status: { uncountedTerminatedPods: {} } },
  },
];

function check(plan: JobPlan, want: Want): void {
  if (want.create !== undefined) expect(plan.create.length).toBe(want.create);
  if (want.createIndexes) expect(plan.create.map((c) => c.index)).toEqual(want.createIndexes);
  if (want.deleteFinishing) expect(names(plan.deleteFinishing)).toEqual(want.deleteFinishing);
  if (want.deleteUntracked) expect(names(plan.deleteUntracked)).toEqual(want.deleteUntracked);
  if (want.removeFinalizers) expect(names(plan.removeFinalizers).sort()).toEqual(want.removeFinalizers);
  if (want.status) for (const [k, v] of Object.entries(want.status)) expect(plan.status[k as keyof WireJobStatus], k).toEqual(v);
  if (want.conditions) expect((plan.status.conditions ?? []).filter((c) => c.status === "True").map((c) => c.type)).toEqual(want.conditions);
  if ("finish" in want) expect(plan.finish?.type).toBe(want.finish);
  if (want.finishReason) expect(plan.finish?.reason).toBe(want.finishReason);
  if (want.requeueAfterMs !== undefined) expect(plan.requeueAfterMs).toBe(want.requeueAfterMs);
  if (want.events) expect(plan.events.map((e) => e.reason)).toEqual(want.events);
}

describe("planJob", () => {
  for (const c of cases) {
    it(c.name, () => check(planJob({ job: c.job, pods: c.pods, now: c.now ?? T0, removingFinalizers: new Set(c.removing ?? []) }), c.want));
  }

  it("a PodFailurePolicy message names the container, pod, exit code and rule", () => {
    const plan = planJob({ job: job({ rules: [rule("Count", [1]), rule("FailJob", [42])] }), pods: [pod("a", "Failed", { exitCode: 42 })], now: T0 });
    expect(plan.finish?.message).toBe("Container c for pod /a failed with exit code 42 matching FailJob rule at index 1");
  });
});

describe("settling after finalizers are removed", () => {
  const base = (): WireJobStatus => ({ succeeded: 1, uncountedTerminatedPods: { succeeded: ["a", "b"], failed: ["c"] }, terminating: 0 });
  it("counts the removed and keeps the rest uncounted", () => {
    const s = base();
    expect(countRemoved(s, new Set(["b"]))).toBe(true);
    expect(s).toMatchObject({ succeeded: 2, failed: 1, uncountedTerminatedPods: { succeeded: ["b"], failed: undefined } });
  });
  it("finishes only when nothing is uncounted or terminating", () => {
    const finish = { type: "Complete" as const, reason: "CompletionsReached", message: "m" };
    const s = base();
    expect(enactFinish(s, finish, T0)).toBe(false);
    countRemoved(s, new Set());
    expect(enactFinish({ ...s, terminating: 1 }, finish, T0)).toBe(false);
    expect(enactFinish(s, finish, T0)).toBe(true);
    expect(s.completionTime).toBe(at(T0));
    expect(s.conditions?.map((c) => c.type)).toEqual(["Complete"]);
  });
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

describe("completion indexes", () => {
  const formats: [number[], string][] = [
    [[0, 1, 2, 4, 6, 7], "0-2,4,6,7"],
    [[], ""],
    [[5], "5"],
    [[3, 1, 2], "1-3"],
  ];
  for (const [input, want] of formats) it(`format ${JSON.stringify(input)} → "${want}"`, () => expect(formatIndexes(input)).toBe(want));
  const parses: [string, number, string][] = [
    ["0-2,4,6,7", 10, "0-2,4,6,7"],
    ["0-9", 5, "0-4"],
    ["1,x,3", 10, "1,3"],
    ["7,8", 8, "7"],
  ];
  for (const [input, completions, want] of parses) it(`parse "${input}" (completions ${completions})`, () => expect(formatIntervals(parseIndexes(input, completions))).toBe(want));
  it("first pending indexes skip taken ones", () => expect(firstPendingIndexes(parseIndexes("0,2-3", 10), 3, 10)).toEqual([1, 4, 5]));
});

describe("jobPod", () => {
  it("sets the owner, the finalizer and the index", () => {
    const p = jobPod(job({ indexed: true }), { index: 3 });
    expect(p.metadata?.generateName).toBe("j-3-");
    expect(p.metadata?.finalizers).toEqual([TRACKING_FINALIZER]);
    expect(p.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Job", uid: "u1", controller: true, blockOwnerDeletion: true });
    expect(p.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"]).toBe("3");
    expect(p.metadata?.labels?.["batch.kubernetes.io/job-completion-index"]).toBe("3");
    expect(p.spec?.containers[0].env).toEqual([{ name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
    expect(p.spec?.hostname).toBe("j-3");
  });
  it("shortens a long Job name in generateName", () => {
    const j = job();
    j.metadata = { ...j.metadata, name: "x".repeat(63) };
    expect(jobPod(j, { index: 12 }).metadata?.generateName).toBe(`${"x".repeat(54)}-12-`);
  });
});
