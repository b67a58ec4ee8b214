// The scheduler component against a real in-process API server, with Node objects made here.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { node, pod } from "./fixture.js";
import { nodeNameOf, podScheduledCondition, startSchedulerHarness, type SchedulerHarness } from "./harness.js";

let h: SchedulerHarness;
beforeEach(async () => {
  h = await startSchedulerHarness();
});
afterEach(async () => {
  await h.close();
});

const bound = (name: string) => async () => nodeNameOf(await h.getPod(name));

describe("scheduler component", () => {
  it("binds pods per nodeSelector, taints, anti-affinity and resources, with Scheduled events", async () => {
    await h.createNode(node("n1", { cpu: "4", zone: "a", labels: { disk: "ssd" } }));
    await h.createNode(node("n2", { cpu: "4", zone: "b", taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] }));
    await h.createNode(node("n3", { cpu: "1", zone: "c" }));
    const web = { labels: { app: "web" }, cpu: "500m" };
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "web" } } }] } };
    await h.createPod(pod("ssd", { nodeSelector: { disk: "ssd" } }));
    await h.createPod(pod("db", { nodeSelector: { "kubernetes.io/hostname": "n2" }, tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }] }));
    await h.createPod(pod("web-0", { ...web, affinity: anti }));
    await h.createPod(pod("web-1", { ...web, affinity: anti }));
    await h.createPod(pod("big", { cpu: "2" }));

    expect(await h.eventually(bound("ssd"))).toBe("n1");
    expect(await h.eventually(bound("db"))).toBe("n2");
    expect(await h.eventually(bound("big"))).toBe("n1"); // n2 is tainted, n3 too small
    const webNodes = [await h.eventually(bound("web-0")), await h.eventually(bound("web-1"))];
    expect(new Set(webNodes).size).toBe(2);
    expect(webNodes.every((n) => n !== "n2")).toBe(true);
    const messages = await h.eventually(async () => {
      const m = (await h.events()).filter((e) => e.reason === "Scheduled").map((e) => e.message);
      return m.length === 5 ? m : undefined;
    });
    expect(messages).toContain("Successfully assigned default/ssd to n1");
  });

  it("explains an unschedulable pod, then schedules it when a fitting node joins", async () => {
    await h.createNode(node("n1", { cpu: "2" }));
    await h.createNode(node("n2", { cpu: "4", taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] }));
    await h.createNode(node("n3", { cpu: "1" }));
    await h.createPod(pod("huge", { cpu: "8" }));
    const condition = await h.eventually(async () => {
      const c = podScheduledCondition(await h.getPod("huge"));
      return c?.status === "False" ? c : undefined;
    });
    expect(condition.reason).toBe("Unschedulable");
    expect(condition.message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 2 Insufficient cpu. " +
        "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
    const failed = await h.eventually(async () => (await h.events()).find((e) => e.reason === "FailedScheduling"));
    expect(failed.message).toBe(condition.message);
    expect(failed.type).toBe("Warning");

    await h.createNode(node("n4", { cpu: "16" }));
    // The node event moves the pod out of the unschedulable pool; its backoff runs on the fake clock.
    expect(await h.eventually(bound("huge"), { advanceMs: 500 })).toBe("n4");
  });

  it("preempts a lower-priority pod and schedules the higher one in its place", async () => {
    await h.createNode(node("n1", { cpu: "2" }));
    await h.createPod(pod("low", { cpu: "1500m", priority: 0 }));
    expect(await h.eventually(bound("low"))).toBe("n1");
    await h.createPod(pod("high", { cpu: "1500m", priority: 1000 }));
    // Graceful deletion: the victim is marked; no kubelet runs here, so the test finishes it.
    await h.eventually(async () => ((await h.getPod("low"))?.metadata.deletionTimestamp ? true : undefined));
    const nominated = await h.eventually(async () => {
      const status = (await h.getPod("high"))?.status;
      return status && typeof status === "object" && "nominatedNodeName" in status ? status.nominatedNodeName : undefined;
    });
    expect(nominated).toBe("n1");
    expect(nodeNameOf(await h.getPod("high"))).toBeUndefined();
    await h.client.delete({ apiVersion: "v1", kind: "Pod", namespace: "default", name: "low" }, { gracePeriodSeconds: 0 });
    expect(await h.eventually(bound("high"), { advanceMs: 500 })).toBe("n1");
    const preempted = (await h.events()).find((e) => e.reason === "Preempted");
    expect(preempted?.message).toMatch(/^Preempted by pod .* on node n1$/);
  });

  it("ignores pods for another scheduler", async () => {
    await h.createNode(node("n1"));
    const other = pod("other");
    other.spec = { ...other.spec, containers: other.spec?.containers ?? [], schedulerName: "my-scheduler" };
    await h.createPod(other);
    await h.createPod(pod("mine"));
    expect(await h.eventually(bound("mine"))).toBe("n1");
    expect(nodeNameOf(await h.getPod("other"))).toBeUndefined();
  });

  it("schedules 100 pods on 10 nodes", async () => {
    for (let i = 0; i < 10; i++) await h.createNode(node(`n${i}`, { cpu: "8", memory: "16Gi" }));
    await Promise.all(Array.from({ length: 100 }, (_, i) => h.createPod(pod(`p${i}`, { cpu: "100m", memory: "128Mi" }))));
    const perNode = await h.eventually(async () => {
      const pods = (await h.client.list({ apiVersion: "v1", kind: "Pod" }, { namespace: "default" })).items;
      const nodes = pods.map(nodeNameOf);
      if (nodes.some((n) => n === undefined)) return undefined;
      const counts = new Map<string, number>();
      for (const n of nodes) if (n) counts.set(n, (counts.get(n) ?? 0) + 1);
      return counts;
    });
    // Least-allocated scoring spreads identical pods evenly.
    expect([...perNode.values()]).toEqual(Array(10).fill(10));
  });
});
