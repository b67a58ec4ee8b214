import { describe, expect, it } from "vitest";
import type { Unstructured } from "../../../../kube/client/index.js";
import { useControllerHarness } from "./harness.js";

const h = useControllerHarness();

const JOB = { apiVersion: "batch/v1", kind: "Job" };

function job(name: string, spec: Record<string, unknown>) {
  return { ...JOB, metadata: { name, namespace: "default" }, spec: { ...spec, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } } };
}

async function podsOf(name: string): Promise<Unstructured[]> {
  const { items } = await h.client.list({ apiVersion: "v1", kind: "Pod" }, { namespace: "default", labelSelector: `batch.kubernetes.io/job-name=${name}` });
  return items;
}

const phase = (p: Unstructured) => (p.status as { phase?: string } | undefined)?.phase ?? "Pending";
const status = (j: Unstructured) => (j.status ?? {}) as { active?: number; succeeded?: number; failed?: number; ready?: number; terminating?: number; uncountedTerminatedPods?: object; conditions?: { type: string; reason?: string }[]; completionTime?: string; startTime?: string };
const getJob = (name: string) => h.client.get({ ...JOB, namespace: "default", name });

describe("Job controller against the API server", () => {
  it("runs completions=3 parallelism=2 to Complete", async () => {
    await h.client.create(job("pi", { completions: 3, parallelism: 2 }));
    const first = await h.until(async () => {
      const pods = await podsOf("pi");
      return pods.length === 2 && pods;
    });
    for (const p of first) await h.setPodPhase(p, "Succeeded");
    const third = await h.until(async () => {
      const pods = (await podsOf("pi")).filter((p) => phase(p) === "Pending");
      return pods.length === 1 && pods[0];
    });
    expect((await podsOf("pi")).length).toBe(3);
    await h.setPodPhase(third, "Succeeded");
    const done = await h.until(async () => {
      const j = await getJob("pi");
      return status(j).conditions?.some((c) => c.type === "Complete") && j;
    });
    expect(status(done)).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    // Zero counters are omitted, as Go's omitempty writes them.
    expect(status(done).active).toBeUndefined();
    expect(status(done).failed).toBeUndefined();
    expect(status(done).completionTime).toBeDefined();
    expect(status(done).conditions?.map((c) => c.type)).toEqual(["SuccessCriteriaMet", "Complete"]);
  });

  it("stops a failing Job at its backoffLimit, waiting the backoff between pods", async () => {
    await h.client.create(job("bad", { backoffLimit: 1 }));
    const first = await h.until(async () => (await podsOf("bad"))[0]);
    await h.setPodPhase(first, "Failed");
    // The second pod waits out the 10 s backoff on the fake clock.
    const second = await h.until(async () => (await podsOf("bad")).find((p) => phase(p) === "Pending"), { stepMs: 500 });
    await h.setPodPhase(second, "Failed");
    const failed = await h.until(async () => {
      const j = await getJob("bad");
      return status(j).conditions?.some((c) => c.type === "Failed") && j;
    }, { stepMs: 500 });
    expect(status(failed).conditions?.find((c) => c.type === "Failed")?.reason).toBe("BackoffLimitExceeded");
    expect(status(failed).failed).toBe(2);
    expect((await podsOf("bad")).length).toBe(2);
  });

  it("fails on activeDeadlineSeconds and deletes the Job after its TTL", async () => {
    await h.client.create(job("slow", { activeDeadlineSeconds: 5, ttlSecondsAfterFinished: 30 }));
    await h.until(async () => (await podsOf("slow")).length === 1);
    const failed = await h.until(async () => {
      const j = await getJob("slow");
      return status(j).conditions?.some((c) => c.type === "Failed") && j;
    }, { stepMs: 500 });
    expect(status(failed).conditions?.find((c) => c.type === "Failed")?.reason).toBe("DeadlineExceeded");
    expect(await h.until(async () => (await podsOf("slow")).length === 0)).toBe(true);
    await h.until(async () => (await h.client.tryGet({ ...JOB, namespace: "default", name: "slow" })) === undefined, { stepMs: 1000 });
  });
});
