// Job pod tracking with the batch.kubernetes.io/job-tracking finalizer, and the Job features
// built on it, against the real API server and store with a fake clock. The test plays the
// kubelet: it moves pods to Succeeded / Failed with an exit code.
import { describe, expect, it } from "vitest";
import type { Unstructured } from "../../../../kube/client/index.js";
import { useControllerHarness } from "./harness.js";
import type { WireJobStatus } from "../../../../orchestrator/controllers/job/status.js";

const h = useControllerHarness();

const JOB = { apiVersion: "batch/v1", kind: "Job" };
const POD = { apiVersion: "v1", kind: "Pod" };
const FINALIZER = "batch.kubernetes.io/job-tracking";

/** As the server returns it: every field may be absent. */
type JobStatus = Partial<WireJobStatus>;

function job(name: string, spec: Record<string, unknown>, namespace = "default") {
  return { ...JOB, metadata: { name, namespace }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } }, ...spec } };
}

const statusOf = (j: Unstructured): JobStatus => (j.status ?? {}) as JobStatus;
const getJob = (name: string, namespace = "default") => h.client.get({ ...JOB, namespace, name });
const finalizers = (p: Unstructured): string[] => p.metadata.finalizers ?? [];
const phase = (p: Unstructured) => (p.status as { phase?: string } | undefined)?.phase ?? "Pending";
const condition = (j: Unstructured, type: string) => statusOf(j).conditions?.find((c) => c.type === type);

async function podsOf(name: string, namespace = "default"): Promise<Unstructured[]> {
  const { items } = await h.client.list(POD, { namespace, labelSelector: `batch.kubernetes.io/job-name=${name}` });
  return items;
}

async function untilJob(name: string, check: (j: Unstructured) => boolean, stepMs = 10): Promise<Unstructured> {
  return h.until(async () => {
    const j = await getJob(name);
    return check(j) && j;
  }, { stepMs });
}

describe("pod tracking with the job-tracking finalizer", () => {
  it("counts finished pods, releases them, and keeps the counts when they are deleted", async () => {
    await h.client.create(job("count", { completions: 2, parallelism: 2 }));
    const pods = await h.until(async () => {
      const ps = await podsOf("count");
      return ps.length === 2 && ps;
    });
    for (const p of pods) expect(finalizers(p)).toContain(FINALIZER);
    for (const p of pods) await h.setPodPhase(p, "Succeeded");
    const done = await untilJob("count", (j) => condition(j, "Complete")?.status === "True");
    expect(statusOf(done)).toMatchObject({ succeeded: 2, uncountedTerminatedPods: {} });
    const released = await podsOf("count");
    expect(released.map(finalizers)).toEqual([[], []]);
    for (const p of released) await h.client.delete({ ...POD, namespace: "default", name: p.metadata.name ?? "" });
    await h.until(async () => (await podsOf("count")).length === 0);
    h.clock.advance(60_000);
    expect(statusOf(await getJob("count")).succeeded).toBe(2);
  });

  it("a pod deleted while running is counted failed, goes once counted, and is replaced after the backoff", async () => {
    await h.client.create(job("deleted", { completions: 1 }));
    const first = await h.until(async () => (await podsOf("deleted"))[0]);
    await h.client.delete({ ...POD, namespace: "default", name: first.metadata.name ?? "" });
    const counted = await untilJob("deleted", (j) => statusOf(j).failed === 1);
    expect(statusOf(counted).uncountedTerminatedPods).toEqual({});
    const replacement = await h.until(async () => {
      const ps = await podsOf("deleted");
      return ps.length === 1 && ps[0].metadata.uid !== first.metadata.uid && ps[0];
    }, { stepMs: 500 });
    await h.setPodPhase(replacement, "Succeeded");
    const done = await untilJob("deleted", (j) => condition(j, "Complete")?.status === "True");
    expect(statusOf(done)).toMatchObject({ succeeded: 1, failed: 1 });
  });

  const deletions: { policy: "Background" | "Foreground" | "Orphan"; podsRemain: boolean }[] = [
    { policy: "Background", podsRemain: false },
    { policy: "Foreground", podsRemain: false },
    { policy: "Orphan", podsRemain: true },
  ];
  for (const d of deletions) {
    it(`deleting a running Job (${d.policy}) frees its pods' finalizers`, async () => {
      await h.client.create(job("gone", { completions: 2, parallelism: 2 }));
      await h.until(async () => (await podsOf("gone")).length === 2);
      await h.client.delete({ ...JOB, namespace: "default", name: "gone" }, { propagationPolicy: d.policy });
      await h.until(async () => (await h.client.tryGet({ ...JOB, namespace: "default", name: "gone" })) === undefined);
      const left = await h.until(async () => {
        const ps = await podsOf("gone");
        if (d.podsRemain) return ps.length === 2 && ps.every((p) => finalizers(p).length === 0) && ps;
        return ps.length === 0 && ps;
      });
      if (d.podsRemain) expect(left.map((p) => p.metadata.ownerReferences ?? [])).toEqual([[], []]);
    });
  }

  it("a namespace with a running Job deletes", async () => {
    await h.client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "batch" } });
    await h.client.create(job("inside", { completions: 3, parallelism: 3 }, "batch"));
    await h.until(async () => (await podsOf("inside", "batch")).length === 3);
    await h.client.delete({ apiVersion: "v1", kind: "Namespace", name: "batch" });
    await h.until(async () => (await h.client.tryGet({ apiVersion: "v1", kind: "Namespace", name: "batch" })) === undefined, { stepMs: 100 });
  });
});

describe("Job features", () => {
  it("suspend deletes active pods without counting them; resume starts again", async () => {
    await h.client.create(job("pause", { suspend: true, completions: 2, parallelism: 2 }));
    const suspended = await untilJob("pause", (j) => condition(j, "Suspended")?.status === "True");
    expect(condition(suspended, "Suspended")).toMatchObject({ reason: "JobSuspended", message: "Job suspended" });
    expect(statusOf(suspended).startTime).toBeUndefined();
    expect(await podsOf("pause")).toEqual([]);
    const patch = (suspend: boolean) => h.client.patch({ ...JOB, namespace: "default", name: "pause" }, { spec: { suspend } }, { type: "merge" });
    await patch(false);
    const resumed = await untilJob("pause", (j) => condition(j, "Suspended")?.status === "False" && statusOf(j).active === 2);
    expect(condition(resumed, "Suspended")).toMatchObject({ reason: "JobResumed", message: "Job resumed" });
    expect(statusOf(resumed).startTime).toBeDefined();
    await patch(true);
    const again = await untilJob("pause", (j) => condition(j, "Suspended")?.status === "True" && statusOf(j).active === undefined);
    await h.until(async () => (await podsOf("pause")).length === 0);
    expect(statusOf(again).failed).toBeUndefined();
    const events = await h.client.list({ apiVersion: "v1", kind: "Event" }, { namespace: "default", fieldSelector: "involvedObject.name=pause" });
    expect(new Set(events.items.map((e) => (e as { reason?: string }).reason))).toEqual(new Set(["Suspended", "Resumed", "SuccessfulCreate", "SuccessfulDelete"]));
  });

  it("an Indexed Job gives each pod its index and records completedIndexes", async () => {
    await h.client.create(job("idx", { completionMode: "Indexed", completions: 3, parallelism: 3 }));
    const pods = await h.until(async () => {
      const ps = await podsOf("idx");
      return ps.length === 3 && ps;
    });
    const indexOf = (p: Unstructured) => p.metadata.annotations?.["batch.kubernetes.io/job-completion-index"];
    expect(pods.map(indexOf).sort()).toEqual(["0", "1", "2"]);
    const spec = (p: Unstructured) => p.spec as { hostname?: string };
    expect(pods.map((p) => spec(p).hostname).sort()).toEqual(["idx-0", "idx-1", "idx-2"]);
    for (const p of pods.filter((x) => indexOf(x) !== "1")) await h.setPodPhase(p, "Succeeded");
    await untilJob("idx", (j) => statusOf(j).completedIndexes === "0,2");
    const one = pods.find((x) => indexOf(x) === "1");
    if (one) await h.setPodPhase(one, "Succeeded");
    const done = await untilJob("idx", (j) => condition(j, "Complete")?.status === "True");
    expect(statusOf(done)).toMatchObject({ completedIndexes: "0-2", succeeded: 3 });
  });

  it("podFailurePolicy: Ignore a disruption, FailJob on exit code 42", async () => {
    const podFailurePolicy = {
      rules: [
        { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
        { action: "FailJob", onExitCodes: { containerName: "c", operator: "In", values: [42] } },
      ],
    };
    await h.client.create(job("policy", { backoffLimit: 0, podFailurePolicy }));
    const first = await h.until(async () => (await podsOf("policy"))[0]);
    await h.setPodPhase(first, "Failed", { exitCode: 137, conditions: [{ type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }] });
    const second = await h.until(async () => (await podsOf("policy")).find((p) => phase(p) === "Pending"), { stepMs: 500 });
    expect(statusOf(await getJob("policy")).failed).toBeUndefined();
    await h.setPodPhase(second, "Failed", { exitCode: 42 });
    const failed = await untilJob("policy", (j) => condition(j, "Failed")?.status === "True");
    expect(condition(failed, "FailureTarget")?.reason).toBe("PodFailurePolicy");
    expect(condition(failed, "Failed")).toMatchObject({ reason: "PodFailurePolicy", message: `Container c for pod default/${second.metadata.name ?? ""} failed with exit code 42 matching FailJob rule at index 1` });
    expect(statusOf(failed).failed).toBe(1);
  });
});
