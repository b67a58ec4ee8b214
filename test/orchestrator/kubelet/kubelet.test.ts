// The kubelet component against a real API server in-process (127.0.0.1, port 0) on a fake
// clock: a pod bound through the binding subresource (no scheduler) becomes Running and Ready
// with an IP from its node's CIDR, leases renew every 10 s of clock time, and a deleted pod is
// stopped within its grace period and then removed by the kubelet.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeClock } from "../../../core/clock.js";
import type { KubeClient } from "../../../kube/client/index.js";
import { startKubelet } from "../../../orchestrator/kubelet/index.js";
import { startLiveApiServer, type LiveApiServer } from "../../helpers/liveApiServer.js";

let live: LiveApiServer;
let clock: FakeClock;
let client: KubeClient;
let url: string;

beforeEach(async () => {
  live = await startLiveApiServer({ node: true, components: async (options) => [await startKubelet(options)] });
  ({ clock, client, url } = live);
});

afterEach(() => live.close());

const POD = { apiVersion: "v1", kind: "Pod", namespace: "default" };

async function createBoundPod(name: string, annotations: Record<string, string> = {}, spec: Record<string, unknown> = {}): Promise<void> {
  await client.create({ ...POD, metadata: { name, namespace: "default", annotations }, spec: { containers: [{ name: "app", image: "nginx" }], ...spec } });
  const binding = { apiVersion: "v1", kind: "Binding", metadata: { name }, target: { kind: "Node", name: "berth-node-1" } };
  const res = await fetch(`${url}/api/v1/namespaces/default/pods/${name}/binding`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(binding) });
  expect(res.status).toBe(201);
}

async function podStatus(name: string): Promise<Record<string, unknown> | undefined> {
  const pod = await client.tryGet({ ...POD, name });
  return pod && typeof pod.status === "object" && pod.status !== null ? { ...pod.status } : undefined;
}

describe("kubelet component", () => {
  it("reports the node Ready and renews its lease every 10 s", async () => {
    const node = await live.eventually(async () => {
      const n = await client.get({ apiVersion: "v1", kind: "Node", name: "berth-node-1" });
      return JSON.stringify(n).includes('"KubeletReady"') ? n : undefined;
    });
    expect(node.metadata.labels).toMatchObject({ "kubernetes.io/hostname": "berth-node-1", "topology.kubernetes.io/zone": "zone-a", "kubernetes.io/os": "linux" });
    const renewTime = async () => {
      const lease = await client.tryGet({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", name: "berth-node-1", namespace: "kube-node-lease" });
      return lease ? String((lease.spec as { renewTime: string }).renewTime) : undefined;
    };
    const first = await live.eventually(renewTime);
    const renewed = await live.eventually(async () => {
      const t = await renewTime();
      return t !== undefined && Date.parse(t) >= Date.parse(first) + 10_000 ? t : undefined;
    }, { stepMs: 1000 });
    expect(Date.parse(renewed) - Date.parse(first)).toBeLessThan(12_000);
  });

  it("runs a bound pod to Running and Ready with an IP from the node's CIDR", async () => {
    await createBoundPod("web", {}, { containers: [{ name: "app", image: "nginx", readinessProbe: { initialDelaySeconds: 5 } }] });
    const running = await live.eventually(async () => {
      const s = await podStatus("web");
      return s?.phase === "Running" ? s : undefined;
    });
    expect(running.podIP).toMatch(/^10\.244\.1\.\d+$/);
    expect(running.hostIP).toBe("172.18.0.2");
    const ready = await live.eventually(async () => {
      const s = await podStatus("web");
      return JSON.stringify(s?.conditions).includes('{"type":"Ready","status":"True"') ? s : undefined;
    }, { stepMs: 500 });
    const started = Date.parse(String((ready.containerStatuses as { state: { running: { startedAt: string } } }[])[0].state.running.startedAt));
    const readySince = Date.parse(String((ready.conditions as { type: string; lastTransitionTime: string }[]).find((c) => c.type === "Ready")?.lastTransitionTime));
    expect(readySince - started).toBeGreaterThanOrEqual(5000);
  });

  it("completes a job pod", async () => {
    await createBoundPod("job", { "berth.dev/sim-duration": "2s" }, { restartPolicy: "Never" });
    const done = await live.eventually(async () => {
      const s = await podStatus("job");
      return s?.phase === "Succeeded" ? s : undefined;
    });
    expect(JSON.stringify(done.containerStatuses)).toContain('"exitCode":0');
  });

  it("stops a deleted pod within its grace period, then deletes it", async () => {
    await createBoundPod("slow", { "berth.dev/sim-stop-duration": "1h" }, { terminationGracePeriodSeconds: 5 });
    await live.eventually(async () => ((await podStatus("slow"))?.phase === "Running" ? true : undefined));
    await client.delete({ ...POD, name: "slow" });
    const terminating = await client.tryGet({ ...POD, name: "slow" });
    expect(terminating?.metadata.deletionTimestamp).toBeDefined();
    expect(terminating?.metadata).toMatchObject({ deletionGracePeriodSeconds: 5 });
    const deletedAt = clock.now();
    await live.eventually(async () => ((await client.tryGet({ ...POD, name: "slow" })) === undefined ? true : undefined), { stepMs: 500 });
    expect(clock.now() - deletedAt).toBeGreaterThanOrEqual(5000);
  });

  it("deletes an unbound pod at once", async () => {
    await client.create({ ...POD, metadata: { name: "loose", namespace: "default" }, spec: { containers: [{ name: "app", image: "nginx" }] } });
    await client.delete({ ...POD, name: "loose" });
    expect(await client.tryGet({ ...POD, name: "loose" })).toBeUndefined();
  });
});
