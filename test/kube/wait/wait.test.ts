import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeClient, Unstructured } from "../../../kube/client/index.js";
import { createProgressReporter, waitForReady, WaitError, type ResourceState } from "../../../kube/wait/index.js";
import { startKube, type KubeFixture } from "../fixture.js";

let kube: KubeFixture;
let client: KubeClient;

beforeAll(async () => {
  kube = await startKube();
  client = kube.client();
});
afterAll(() => kube.close());

const job = (name: string): Unstructured => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name, namespace: "default" },
  spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
});

describe("waitForReady", () => {
  it("waits until the status written through the status subresource says ready", async () => {
    const live = await client.apply(job("finishes"));
    const rounds: ResourceState[][] = [];
    const waiting = waitForReady([job("finishes"), { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } }], {
      client,
      timeoutMs: 30_000,
      pollMs: 20,
      onProgress: (s) => rounds.push(s),
    });
    while (rounds.length < 2) await new Promise((r) => setImmediate(r));
    await client.updateStatus({ ...live, status: { succeeded: 1, conditions: [{ type: "Complete", status: "True" }] } });
    const states = await waiting;
    expect(states.map((s) => s.status)).toEqual(["Healthy", "Healthy"]);
    expect(rounds[0].find((s) => s.ref.kind === "Job")?.status).toBe("Progressing");
  });

  it("fails at once on a Degraded object, naming it and why", async () => {
    const live = await client.apply(job("fails"));
    await client.updateStatus({ ...live, status: { failed: 1, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] } });
    const err = await waitForReady([job("fails")], { client, timeoutMs: 30_000, pollMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitError);
    expect(String(err)).toMatch(/Job\/fails -n default \(Degraded: job failed: BackoffLimitExceeded\)/);
  });

  it("times out naming what is still pending", async () => {
    await client.apply(job("never"));
    const err = await waitForReady([job("never"), job("absent")], { client, timeoutMs: 50, pollMs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitError);
    expect(String(err)).toMatch(/timed out after 50 ms waiting for Job\/never -n default \(Progressing: .*\), Job\/absent -n default \(Missing: not found\)/);
  });
});

describe("createProgressReporter", () => {
  const ref = { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "ns" };
  const round = (status: ResourceState["status"], message: string): ResourceState[] => [{ ref, status, message }];

  it("prints a plain line only when a resource's state changes", () => {
    let out = "";
    const report = createProgressReporter({ write: (t: string) => (out += t) });
    report(round("Progressing", "1 of 3 replicas updated"));
    report(round("Progressing", "1 of 3 replicas updated"));
    report(round("Healthy", "3 of 3 replicas available"));
    expect(out).toBe("Deployment/web -n ns: Progressing - 1 of 3 replicas updated\nDeployment/web -n ns: Healthy - 3 of 3 replicas available\n");
  });

  it("rewrites live lines in place on a terminal", () => {
    let out = "";
    const report = createProgressReporter({ write: (t: string) => (out += t), isTTY: true });
    report(round("Progressing", "a"));
    report(round("Progressing", "b"));
    expect(out).toBe("\u001b[2KDeployment/web -n ns: Progressing - a\n\u001b[1A\u001b[2KDeployment/web -n ns: Progressing - b\n");
  });
});
