// batch/v1 through real HTTP: the defaults a 1.32 kube-apiserver fills in on Jobs and
// CronJobs, each bad spec answered with 422 naming the field in kube-apiserver's words, the
// Job fields that may not change on update, and kubectl printing the refusal.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubectlServer, type KubectlServer } from "./fixture.js";

const JOBS = "/apis/batch/v1/namespaces/default/jobs";
const CRONJOBS = "/apis/batch/v1/namespaces/default/cronjobs";
type Json = Record<string, unknown>;

let live: KubectlServer;
let url: string;
let dir: string;

beforeAll(async () => {
  live = await startKubectlServer({ dirPrefix: "berth-batch-" });
  ({ url, dir } = live);
});

afterAll(() => live.close());

async function send(method: string, at: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${url}${at}`, { method, headers: body === undefined ? {} : { "content-type": contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

/** A Job with options overlaid on its spec; `template` overlays the pod spec. */
function job(name: string, spec: Json = {}, template: Json = {}): Json {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name },
    spec: { ...spec, template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }], ...template } } },
  };
}

function cronJob(name: string, spec: Json = {}, jobSpec: Json = {}): Json {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name },
    spec: { schedule: "*/5 * * * *", ...spec, jobTemplate: { spec: { ...jobSpec, template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "main", image: "busybox" }] } } } } },
  };
}

function causes(json: Json): { field?: string; message: string; reason: string }[] {
  return ((json.details as { causes?: { field?: string; message: string; reason: string }[] }).causes ?? []);
}

const specOf = (json: Json): Json => json.spec as Json;

describe("batch/v1 defaults", () => {
  it.each([
    ["a plain Job", {}, { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: "NonIndexed", suspend: false, manualSelector: false, podReplacementPolicy: "TerminatingOrFailed" }],
    ["a work queue (parallelism only) keeps completions unset", { parallelism: 3 }, { parallelism: 3, completions: undefined }],
    ["completions only gets parallelism 1", { completions: 5 }, { parallelism: 1, completions: 5 }],
    ["backoffLimitPerIndex makes backoffLimit MaxInt32", { completionMode: "Indexed", completions: 3, backoffLimitPerIndex: 1 }, { backoffLimit: 2147483647 }],
    ["a podFailurePolicy makes podReplacementPolicy Failed", { podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] }] } }, { podReplacementPolicy: "Failed", podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] } }],
    ["explicit values stay", { backoffLimit: 0, suspend: true, podReplacementPolicy: "Failed" }, { backoffLimit: 0, suspend: true, podReplacementPolicy: "Failed" }],
  ] as const)("%s", async (name, spec, want) => {
    const res = await send("POST", JOBS, job(`d-${name.length}-${Object.keys(spec).length}`, spec as Json));
    expect(res.status).toBe(201);
    const got = specOf(res.json);
    for (const [k, v] of Object.entries(want)) expect(got[k]).toEqual(v);
  });

  it("copies the template labels (generated ones included) to a Job that has none", async () => {
    const res = await send("POST", JOBS, job("labelled"));
    const uid = (res.json.metadata as Json).uid as string;
    expect((res.json.metadata as Json).labels).toEqual({ "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "labelled", "controller-uid": uid, "job-name": "labelled" });
  });

  it("defaults a CronJob but not its Job template's Job fields", async () => {
    const res = await send("POST", CRONJOBS, cronJob("nightly"));
    expect(res.status).toBe(201);
    const spec = specOf(res.json);
    expect(spec).toMatchObject({ concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect((spec.jobTemplate as { spec: Json }).spec.backoffLimit).toBeUndefined();
  });
});

describe("Job validation", () => {
  const indexed = { completionMode: "Indexed", completions: 4 };
  it.each<[string, Json, Json, string, string]>([
    ["negative parallelism", { parallelism: -1 }, {}, "spec.parallelism", "Invalid value: -1: must be greater than or equal to 0"],
    ["negative completions", { completions: -2 }, {}, "spec.completions", "Invalid value: -2: must be greater than or equal to 0"],
    ["negative backoffLimit", { backoffLimit: -1 }, {}, "spec.backoffLimit", "Invalid value: -1: must be greater than or equal to 0"],
    ["negative activeDeadlineSeconds", { activeDeadlineSeconds: -5 }, {}, "spec.activeDeadlineSeconds", "Invalid value: -5: must be greater than or equal to 0"],
    ["negative ttlSecondsAfterFinished", { ttlSecondsAfterFinished: -1 }, {}, "spec.ttlSecondsAfterFinished", "Invalid value: -1: must be greater than or equal to 0"],
    ["restartPolicy Always", {}, { restartPolicy: "Always" }, "spec.template.spec.restartPolicy", 'Required value: valid values: "OnFailure", "Never"'],
    ["no restartPolicy", {}, { restartPolicy: undefined }, "spec.template.spec.restartPolicy", 'Required value: valid values: "OnFailure", "Never"'],
    ["an unknown restartPolicy", {}, { restartPolicy: "Sometimes" }, "spec.template.spec.restartPolicy", 'Unsupported value: "Sometimes": supported values: "OnFailure", "Never"'],
    ["podFailurePolicy with OnFailure", { podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { operator: "In", values: [42] } }] } }, { restartPolicy: "OnFailure" }, "spec.template.spec.restartPolicy", 'Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'],
    ["backoffLimitPerIndex without Indexed", { backoffLimitPerIndex: 1 }, {}, "spec.backoffLimitPerIndex", "Invalid value: 1: requires indexed completion mode"],
    ["maxFailedIndexes without Indexed", { maxFailedIndexes: 1, backoffLimitPerIndex: 1 }, {}, "spec.maxFailedIndexes", "Invalid value: 1: requires indexed completion mode"],
    ["maxFailedIndexes without backoffLimitPerIndex", { ...indexed, maxFailedIndexes: 1 }, {}, "spec.backoffLimitPerIndex", "Required value: when maxFailedIndexes is specified"],
    ["maxFailedIndexes above completions", { ...indexed, backoffLimitPerIndex: 1, maxFailedIndexes: 5 }, {}, "spec.maxFailedIndexes", "Invalid value: 5: must be less than or equal to completions"],
    ["Indexed without completions", { completionMode: "Indexed", parallelism: 2 }, {}, "spec.completions", "Required value: when completion mode is Indexed"],
    ["an unknown completionMode", { completionMode: "Sideways" }, {}, "spec.completionMode", 'Unsupported value: "Sideways": supported values: "NonIndexed", "Indexed"'],
    ["successPolicy without Indexed", { successPolicy: { rules: [{ succeededCount: 1 }] } }, {}, "spec.successPolicy", 'Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode'],
    ["a successPolicy with no rules", { ...indexed, successPolicy: { rules: [] } }, {}, "spec.successPolicy.rules", "Required value: at least one rules must be specified when the successPolicy is specified"],
    ["succeededCount above completions", { ...indexed, successPolicy: { rules: [{ succeededCount: 9 }] } }, {}, "spec.successPolicy.rules[0].succeededCount", "Invalid value: 9: must be less than or equal to 4 (the number of specified completions)"],
    ["succeededIndexes out of range", { ...indexed, successPolicy: { rules: [{ succeededIndexes: "0-7" }] } }, {}, "spec.successPolicy.rules[0].succeededIndexes", 'Invalid value: "0-7": error parsing succeededIndexes: too large index: "7"'],
    ["FailIndex without backoffLimitPerIndex", { ...indexed, podFailurePolicy: { rules: [{ action: "FailIndex", onExitCodes: { operator: "In", values: [1] } }] } }, {}, "spec.podFailurePolicy.rules[0].action", 'Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set'],
    ["exit code 0 for In", { podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { operator: "In", values: [0, 1] } }] } }, {}, "spec.podFailurePolicy.rules[0].onExitCodes.values[0]", "Invalid value: 0: must not be 0 for the In operator"],
    ["unordered exit codes", { podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { operator: "NotIn", values: [3, 1] } }] } }, {}, "spec.podFailurePolicy.rules[0].onExitCodes.values", "Invalid value: [3,1]: must be ordered"],
    ["an unknown container in onExitCodes", { podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { containerName: "nope", operator: "In", values: [1] } }] } }, {}, "spec.podFailurePolicy.rules[0].onExitCodes.containerName", 'Invalid value: "nope": must be one of the container or initContainer names in the pod template'],
    ["a rule with neither requirement", { podFailurePolicy: { rules: [{ action: "Ignore" }] } }, {}, "spec.podFailurePolicy.rules[0]", "Invalid value: specifying one of OnExitCodes and OnPodConditions is required"],
    ["an unknown action", { podFailurePolicy: { rules: [{ action: "Shrug", onPodConditions: [{ type: "DisruptionTarget" }] }] } }, {}, "spec.podFailurePolicy.rules[0].action", 'Unsupported value: "Shrug": supported values: "Count", "FailIndex", "FailJob", "Ignore"'],
    ["TerminatingOrFailed with a podFailurePolicy", { podReplacementPolicy: "TerminatingOrFailed", podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] }] } }, {}, "spec.podReplacementPolicy", 'Unsupported value: "TerminatingOrFailed": supported values: "Failed"'],
    ["a manual selector that is missing", { manualSelector: true }, {}, "spec.selector", "Required value"],
  ])("refuses %s", async (_name, spec, template, field, message) => {
    const res = await send("POST", JOBS, job("bad", spec, template));
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ kind: "Status", reason: "Invalid", details: { kind: "Job", name: "bad" } });
    expect(causes(res.json)).toContainEqual(expect.objectContaining({ field, message }));
    expect(res.json.message).toContain(`${field}: ${message}`);
  });

  it("refuses an Indexed Job whose last pod hostname is not a DNS label", async () => {
    const name = "x".repeat(62);
    const res = await send("POST", JOBS, job(name, { completionMode: "Indexed", completions: 10 }));
    expect(res.status).toBe(422);
    expect(causes(res.json)).toContainEqual(expect.objectContaining({ field: "metadata.name", message: `Invalid value: "${name}": will not able to create pod with invalid DNS label: ${name}-9` }));
  });

  it("accepts a full-featured Indexed Job", async () => {
    const spec = {
      completionMode: "Indexed", completions: 4, parallelism: 2, backoffLimitPerIndex: 1, maxFailedIndexes: 2,
      successPolicy: { rules: [{ succeededIndexes: "0,2-3", succeededCount: 2 }] },
      podFailurePolicy: { rules: [{ action: "FailIndex", onExitCodes: { containerName: "main", operator: "In", values: [1, 2] } }] },
    };
    expect((await send("POST", JOBS, job("full", spec))).status).toBe(201);
  });
});

describe("Job updates", () => {
  const merge = (name: string, patch: Json) => send("PATCH", `${JOBS}/${name}`, patch, "application/merge-patch+json");

  it.each<[string, Json, Json, string]>([
    ["the template", {}, { spec: { template: { spec: { containers: [{ name: "main", image: "busybox:2" }] } } } }, "spec.template"],
    ["completions of a NonIndexed Job", { completions: 2 }, { spec: { completions: 3 } }, "spec.completions"],
    ["the selector", { }, { spec: { selector: { matchLabels: { extra: "x" } } } }, "spec.selector"],
    ["completionMode", { completions: 2 }, { spec: { completionMode: "Indexed" } }, "spec.completionMode"],
    ["backoffLimitPerIndex", { completionMode: "Indexed", completions: 2, backoffLimitPerIndex: 1 }, { spec: { backoffLimitPerIndex: 2 } }, "spec.backoffLimitPerIndex"],
  ])("refuses a change to %s", async (name, spec, patch, field) => {
    const jobName = `imm-${field.replace(/\W/g, "").toLowerCase()}`;
    expect((await send("POST", JOBS, job(jobName, spec))).status).toBe(201);
    const res = await merge(jobName, patch);
    expect(res.status).toBe(422);
    expect(causes(res.json).filter((c) => c.field === field).map((c) => c.message), name).toContainEqual(expect.stringMatching(/field is immutable$/));
  });

  it("lets an Indexed Job scale completions in tandem with parallelism only", async () => {
    expect((await send("POST", JOBS, job("elastic", { completionMode: "Indexed", completions: 2, parallelism: 2 }))).status).toBe(201);
    const bad = await merge("elastic", { spec: { completions: 3 } });
    expect(bad.status).toBe(422);
    expect(causes(bad.json)).toContainEqual(expect.objectContaining({ field: "spec.completions", message: "Invalid value: 3: can only be modified in tandem with spec.parallelism" }));
    const good = await merge("elastic", { spec: { completions: 3, parallelism: 3 } });
    expect(good.status).toBe(200);
  });

  it("lets a suspended Job that never started change its scheduling directives, and nothing else in the template", async () => {
    expect((await send("POST", JOBS, job("held", { suspend: true }))).status).toBe(201);
    const ok = await merge("held", { spec: { template: { spec: { nodeSelector: { disk: "ssd" }, tolerations: [{ key: "k", operator: "Exists" }] } } } });
    expect(ok.status).toBe(200);
    const bad = await merge("held", { spec: { template: { spec: { activeDeadlineSeconds: 5 } } } });
    expect(bad.status).toBe(422);
    expect(causes(bad.json).map((c) => c.field)).toContain("spec.template");
  });

  it("allows the mutable fields (suspend, parallelism, activeDeadlineSeconds)", async () => {
    expect((await send("POST", JOBS, job("mutable", { completions: 3 }))).status).toBe(201);
    const res = await merge("mutable", { spec: { suspend: true, parallelism: 2, activeDeadlineSeconds: 100 } });
    expect(res.status).toBe(200);
    expect(specOf(res.json)).toMatchObject({ suspend: true, parallelism: 2, activeDeadlineSeconds: 100 });
  });
});

describe("CronJob validation", () => {
  it.each<[string, Json, Json, string, string]>([
    ["an unknown time zone", { timeZone: "Mars/Olympus" }, {}, "spec.timeZone", 'Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
    ["a time zone with bad characters", { timeZone: "Europe/Par is" }, {}, "spec.timeZone", 'Invalid value: "Europe/Par is": unknown time zone Europe/Par is'],
    ["the Local time zone", { timeZone: "Local" }, {}, "spec.timeZone", 'Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
    ["an empty time zone", { timeZone: "" }, {}, "spec.timeZone", 'Invalid value: "": timeZone must be nil or non-empty string'],
    ["six schedule fields", { schedule: "0 * * * * *" }, {}, "spec.schedule", 'Invalid value: "0 * * * * *": expected exactly 5 fields, found 6: [0 * * * * *]'],
    ["a minute out of range", { schedule: "70 * * * *" }, {}, "spec.schedule", 'Invalid value: "70 * * * *": end of range (70) above maximum (59): 70'],
    ["a word for a number", { schedule: "every 5 * * *" }, {}, "spec.schedule", 'Invalid value: "every 5 * * *": failed to parse int from every: strconv.Atoi: parsing "every": invalid syntax'],
    ["an unknown descriptor", { schedule: "@fortnightly" }, {}, "spec.schedule", 'Invalid value: "@fortnightly": unrecognized descriptor: @fortnightly'],
    ["TZ in the schedule", { schedule: "TZ=UTC 0 * * * *" }, {}, "spec.schedule", 'Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ["no schedule", { schedule: "" }, {}, "spec.schedule", "Required value"],
    ["a negative startingDeadlineSeconds", { startingDeadlineSeconds: -10 }, {}, "spec.startingDeadlineSeconds", "Invalid value: -10: must be greater than or equal to 0"],
    ["a negative history limit", { failedJobsHistoryLimit: -1 }, {}, "spec.failedJobsHistoryLimit", "Invalid value: -1: must be greater than or equal to 0"],
    ["an unknown concurrencyPolicy", { concurrencyPolicy: "Sometimes" }, {}, "spec.concurrencyPolicy", 'Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
    ["a selector in the Job template", {}, { selector: { matchLabels: { a: "b" } } }, "spec.jobTemplate.spec.selector", 'Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated'],
    ["manualSelector in the Job template", {}, { manualSelector: true }, "spec.jobTemplate.spec.manualSelector", 'Unsupported value: true: supported values: "nil", "false"'],
    ["a negative template backoffLimit", {}, { backoffLimit: -3 }, "spec.jobTemplate.spec.backoffLimit", "Invalid value: -3: must be greater than or equal to 0"],
  ])("refuses %s", async (_name, spec, jobSpec, field, message) => {
    const res = await send("POST", CRONJOBS, cronJob("bad", spec, jobSpec));
    expect(res.status).toBe(422);
    expect(causes(res.json)).toContainEqual(expect.objectContaining({ field, message }));
  });

  it.each(["@hourly", "@every 90m", "0 0 31 2 *", "*/15 9-17 * JAN-jun mon-FRI", "0 12 ? * SUN"])("accepts the schedule %s", async (schedule) => {
    const name = `ok-${schedule.replace(/[^a-z0-9]/gi, "").toLowerCase().slice(0, 20) || "x"}`;
    const res = await send("POST", CRONJOBS, cronJob(name, { schedule, timeZone: "Europe/Paris" }));
    expect(res.status).toBe(201);
  });

  it("refuses a name longer than 52 characters", async () => {
    const name = "c".repeat(53);
    const res = await send("POST", CRONJOBS, cronJob(name));
    expect(causes(res.json)).toContainEqual(expect.objectContaining({ field: "metadata.name", message: `Invalid value: "${name}": must be no more than 52 characters` }));
  });

  it("kubectl apply prints kube-apiserver's refusal", async () => {
    const manifest = `apiVersion: batch/v1
kind: CronJob
metadata: {name: olympus, namespace: default}
spec:
  schedule: "0 * * * *"
  timeZone: Mars/Olympus
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: Never, containers: [{name: main, image: busybox}]}
`;
    const file = path.join(dir, "cron.yaml");
    await writeFile(file, manifest);
    const failed = await live.kubectl(["apply", "-f", file]).then(
      () => undefined,
      (err: { stderr: string; code: number }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('The CronJob "olympus" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus');
  });
});
