import { describe, expect, it } from "vitest";
import type { Unstructured } from "../../../../kube/client/index.js";
import { T0, useControllerHarness } from "../job/harness.js";

const h = useControllerHarness();

const MIN = 60_000;

function cronJob(name: string, spec: Record<string, unknown>) {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: "default" },
    spec: { schedule: "* * * * *", ...spec, jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } } } },
  };
}

async function jobNames(): Promise<string[]> {
  const { items } = await h.client.list({ apiVersion: "batch/v1", kind: "Job" }, { namespace: "default" });
  return items.map((j) => j.metadata.name ?? "").sort();
}

/** Lets the Job controller complete the Job: its one pod succeeds, as a kubelet would report. */
async function finishJob(name: string): Promise<void> {
  const pod = await h.until(async () => {
    const { items } = await h.client.list({ apiVersion: "v1", kind: "Pod" }, { namespace: "default", labelSelector: `batch.kubernetes.io/job-name=${name}` });
    return items[0];
  });
  await h.setPodPhase(pod, "Succeeded");
}

const getCronJob = (name: string): Promise<Unstructured> => h.client.get({ apiVersion: "batch/v1", kind: "CronJob", namespace: "default", name });
const statusOf = (cj: Unstructured) => (cj.status ?? {}) as { lastScheduleTime?: string; lastSuccessfulTime?: string; active?: unknown[] };
const minutes = (ms: number) => Math.floor(ms / MIN);

describe("CronJob controller against the API server", () => {
  it("creates a Job per schedule time and keeps the history limits", async () => {
    await h.client.create(cronJob("tick", { successfulJobsHistoryLimit: 1, concurrencyPolicy: "Allow" }));
    const first = `tick-${minutes(T0) + 1}`;
    await h.until(async () => (await jobNames()).includes(first), { stepMs: 5_000 });
    const scheduled = await h.until(async () => statusOf(await getCronJob("tick")).lastScheduleTime);
    expect(scheduled).toBe("2025-01-01T00:01:00Z");
    await finishJob(first);
    const second = `tick-${minutes(T0) + 2}`;
    await h.until(async () => (await jobNames()).includes(second), { stepMs: 5_000 });
    await finishJob(second);
    // Only the newest successful Job stays.
    await h.until(async () => {
      const names = await jobNames();
      return !names.includes(first) && names.includes(second);
    });
    expect(await h.until(async () => statusOf(await getCronJob("tick")).lastSuccessfulTime)).toMatch(/^2025-01-01T00:0\d:\d\dZ$/);
  });

  it("Forbid skips runs while one is active; Replace replaces it", async () => {
    await h.client.create(cronJob("solo", { concurrencyPolicy: "Forbid" }));
    const first = `solo-${minutes(T0) + 1}`;
    await h.until(async () => (await jobNames()).includes(first), { stepMs: 5_000 });
    h.clock.advance(3 * MIN);
    await h.until(async () => {
      return (statusOf(await getCronJob("solo")).active ?? []).length === 1;
    });
    expect(await jobNames()).toEqual([first]);
    const cj = await h.client.get({ apiVersion: "batch/v1", kind: "CronJob", namespace: "default", name: "solo" });
    await h.client.update({ ...cj, spec: { ...(cj.spec as object), concurrencyPolicy: "Replace" } });
    await h.until(async () => {
      const names = await jobNames();
      return names.length === 1 && names[0] !== first;
    }, { stepMs: 5_000 });
  });
});
