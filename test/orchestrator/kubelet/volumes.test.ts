// The kubelet's volume gate against a real API server in-process on a fake clock: a pod whose
// ConfigMap or claim is not there stays Pending in ContainerCreating without an IP, with one
// FailedMount Event whose count grows as the mount is retried, and starts once the object
// appears (its informer event requeues the pod; no clock step is needed for that).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeClock } from "../../../core/clock.js";
import type { KubeClient, Unstructured } from "../../../kube/client/index.js";
import { startKubelet } from "../../../orchestrator/kubelet/index.js";
import { startLiveApiServer, type LiveApiServer } from "../../helpers/liveApiServer.js";

let live: LiveApiServer;
let clock: FakeClock;
let client: KubeClient;

beforeEach(async () => {
  live = await startLiveApiServer({ node: true, components: async (options) => [await startKubelet(options)] });
  ({ clock, client } = live);
});

afterEach(() => live.close());

const POD = { apiVersion: "v1", kind: "Pod", namespace: "default" };

async function createPodWith(name: string, volume: Record<string, unknown>): Promise<void> {
  const container = { name: "app", image: "nginx", volumeMounts: [{ name: String(volume.name), mountPath: "/mnt" }] };
  await client.create({ ...POD, metadata: { name, namespace: "default" }, spec: { nodeName: "berth-node-1", containers: [container], volumes: [volume] } });
}

interface Status {
  phase?: string;
  podIP?: string;
  containerStatuses?: { state?: { waiting?: { reason?: string }; running?: { startedAt?: string } } }[];
}

async function status(name: string): Promise<Status | undefined> {
  const pod = await client.tryGet({ ...POD, name });
  return pod && typeof pod.status === "object" && pod.status !== null ? (pod.status as Status) : undefined;
}

async function podEvents(name: string): Promise<Unstructured[]> {
  const list = await client.list({ apiVersion: "v1", kind: "Event" }, { namespace: "default" });
  return list.items.filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name && e.reason === "FailedMount");
}

describe("kubelet volume gate", () => {
  it("holds a pod whose ConfigMap is missing, counting one Event up, and starts it once the ConfigMap exists", async () => {
    await createPodWith("web", { name: "cfg", configMap: { name: "app-config" } });
    const waiting = await live.eventually(async () => {
      const s = await status("web");
      return s?.containerStatuses?.[0]?.state?.waiting?.reason === "ContainerCreating" ? s : undefined;
    });
    expect(waiting.phase).toBe("Pending");
    expect(waiting.podIP).toBeUndefined();
    // Retries at 0.5, 1.5 and 3.5 s bump the same Event.
    const counted = await live.eventually(async () => {
      const events = await podEvents("web");
      return events.length === 1 && Number(events[0].count) >= 3 ? events : undefined;
    });
    expect(counted[0]).toMatchObject({ type: "Warning", message: `MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found`, source: { component: "kubelet", host: "berth-node-1" } });
    expect(await status("web")).toMatchObject({ phase: "Pending" });

    const createdAt = clock.now();
    await client.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config", namespace: "default" }, data: { k: "v" } });
    const running = await live.eventually(async () => {
      const s = await status("web");
      return s?.phase === "Running" ? s : undefined;
    });
    expect(running.podIP).toMatch(/^10\.244\./);
    const startedAt = Date.parse(running.containerStatuses?.[0]?.state?.running?.startedAt ?? "");
    expect(startedAt).toBeGreaterThanOrEqual(Math.floor(createdAt / 1000) * 1000);
  });

  it("holds a pod on an unbound claim and starts it once the claim is bound to its volume", async () => {
    const claim = await client.create({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "default" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "" },
    });
    await createPodWith("db", { name: "data", persistentVolumeClaim: { claimName: "data" } });
    const [event] = await live.eventually(async () => {
      const events = await podEvents("db");
      return events.length > 0 ? events : undefined;
    });
    expect(event.message).toBe("Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: PVC is not bound");

    // Bind by hand, as the PV controller would: the volume's claimRef first, then the claim.
    await client.create({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "pv-data" },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], storageClassName: "", hostPath: { path: "/tmp/pv-data" }, claimRef: { namespace: "default", name: "data", uid: claim.metadata.uid } },
    });
    const withVolume = await client.update({ ...claim, spec: { ...(claim.spec as object), volumeName: "pv-data" } });
    await client.updateStatus({ ...withVolume, status: { phase: "Bound" } });
    await live.eventually(async () => ((await status("db"))?.phase === "Running" ? true : undefined));
  });

  it("deletes a pod that is still waiting for its volumes", async () => {
    await createPodWith("gone", { name: "tls", secret: { secretName: "missing" } });
    await live.eventually(async () => ((await podEvents("gone")).length > 0 ? true : undefined));
    await client.delete({ ...POD, name: "gone" });
    await live.eventually(async () => ((await client.tryGet({ ...POD, name: "gone" })) === undefined ? true : undefined));
  });
});
