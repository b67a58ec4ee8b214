// CronJob behaviour Kubernetes users rely on, against the real API server with a fake clock:
// time zones, suspend, starting deadlines, the too-many-missed warning, manual runs
// (`kubectl create job --from=cronjob/…`) and the Job template's metadata.
import { describe, expect, it } from "vitest";
import type { Unstructured } from "../../../../kube/client/index.js";
import { T0, useControllerHarness } from "../job/harness.js";

const h = useControllerHarness();

const MIN = 60_000;
const CRON = { apiVersion: "batch/v1", kind: "CronJob" };
const JOB = { apiVersion: "batch/v1", kind: "Job" };

function cronJob(name: string, spec: Record<string, unknown>) {
  const template = { metadata: { labels: { team: "data" }, annotations: { "example.com/owner": "ops" } }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } } };
  return { ...CRON, metadata: { name, namespace: "default" }, spec: { schedule: "* * * * *", jobTemplate: template, ...spec } };
}

async function jobs(): Promise<Unstructured[]> {
  return (await h.client.list(JOB, { namespace: "default" })).items;
}

async function events(name: string): Promise<{ reason?: string; message?: string; type?: string }[]> {
  const { items } = await h.client.list({ apiVersion: "v1", kind: "Event" }, { namespace: "default", fieldSelector: `involvedObject.name=${name}` });
  return items as { reason?: string; message?: string; type?: string }[];
}

/** Names of the Jobs whose name starts with `prefix-`. */
async function jobsOf(prefix: string): Promise<string[]> {
  return (await jobs()).map((j) => j.metadata.name ?? "").filter((n) => n.startsWith(`${prefix}-`));
}

const statusOf = (cj: Unstructured) => (cj.status ?? {}) as { lastScheduleTime?: string; active?: { name?: string }[] };
const getCron = (name: string) => h.client.get({ ...CRON, namespace: "default", name });

describe("CronJob features", () => {
  it("runs in its timeZone and copies the template's labels and annotations", async () => {
    // T0 is 09:00 in Tokyo: the next 09:00 there is a day later.
    await h.client.create(cronJob("tokyo", { schedule: "0 9 * * *", timeZone: "Asia/Tokyo" }));
    await h.until(async () => (await events("tokyo")).length === 0 && (await getCron("tokyo")).metadata.resourceVersion);
    h.clock.advance(23 * 60 * MIN);
    expect(await jobs()).toEqual([]);
    h.clock.advance(60 * MIN);
    const [job] = await h.until(async () => {
      const js = await jobs();
      return js.length === 1 && js;
    });
    expect(job.metadata.labels).toMatchObject({ team: "data" });
    expect(job.metadata.annotations).toMatchObject({ "example.com/owner": "ops", "batch.kubernetes.io/cronjob-scheduled-timestamp": "2025-01-02T00:00:00Z" });
    expect(await h.until(async () => statusOf(await getCron("tokyo")).lastScheduleTime)).toBe("2025-01-02T00:00:00Z");
  });

  it("a suspended CronJob starts nothing", async () => {
    // A witness on the same schedule shows when the controller has acted on the time.
    await h.client.create(cronJob("held", { suspend: true }));
    await h.client.create(cronJob("witness", {}));
    h.clock.advance(MIN);
    await h.until(async () => (await jobsOf("witness")).length === 1);
    await h.until(async () => statusOf(await getCron("witness")).lastScheduleTime);
    expect(await jobsOf("held")).toEqual([]);
    expect(statusOf(await getCron("held")).lastScheduleTime).toBeUndefined();
  });

  it("warns about too many missed start times and starts the latest", async () => {
    await h.client.create(cronJob("late", {}));
    h.clock.advance(200 * MIN + 30_000);
    const warning = await h.until(async () => (await events("late")).find((e) => e.reason === "TooManyMissedTimes"));
    expect(warning).toMatchObject({ type: "Warning", message: "too many missed start times: 200. Set or decrease .spec.startingDeadlineSeconds or check clock skew" });
    const names = await h.until(async () => {
      const js = await jobs();
      return js.length === 1 && js.map((j) => j.metadata.name);
    });
    expect(names).toEqual([`late-${Math.floor(T0 / MIN) + 200}`]);
  });

  it("a startingDeadlineSeconds skips runs it is too late for", async () => {
    await h.client.create(cronJob("strict", { startingDeadlineSeconds: 10 }));
    await h.client.create(cronJob("witness", {}));
    h.clock.advance(200 * MIN + 30_000);
    await h.until(async () => (await jobsOf("witness")).length === 1);
    expect(await jobsOf("strict")).toEqual([]);
    expect((await events("strict")).map((e) => e.reason)).not.toContain("TooManyMissedTimes");
    // The next minute's run is on time.
    h.clock.advance(30_000);
    await h.until(async () => (await jobsOf("strict")).length === 1, { stepMs: 100 });
  });

  it("a manual run (create job --from) is reported, not counted as active, and does not block Forbid", async () => {
    await h.client.create(cronJob("nightly", { schedule: "0 0 * * *", concurrencyPolicy: "Forbid" }));
    const cj = await getCron("nightly");
    const spec = cj.spec as { jobTemplate: { spec: unknown } };
    await h.client.create({
      ...JOB,
      metadata: {
        name: "nightly-manual",
        namespace: "default",
        annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
        ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "nightly", uid: cj.metadata.uid ?? "", controller: true }],
      },
      spec: spec.jobTemplate.spec,
    });
    const unexpected = await h.until(async () => (await events("nightly")).find((e) => e.reason === "UnexpectedJob"));
    expect(unexpected).toMatchObject({ type: "Warning", message: "Saw a job that the controller did not create or forgot: nightly-manual" });
    expect(statusOf(await getCron("nightly")).active).toBeUndefined();
    h.clock.advance(24 * 60 * MIN);
    const active = await h.until(async () => {
      const a = statusOf(await getCron("nightly")).active ?? [];
      return a.length === 1 && a;
    });
    expect(active[0].name).toBe(`nightly-${Math.floor(T0 / MIN) + 24 * 60}`);
  });
});
