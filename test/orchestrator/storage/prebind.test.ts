// VolumeBinding's PreBind against a real API server in-process on a fake clock, with the
// storage controllers and the scheduler (startSchedulerWithStorage) running: a pod's
// WaitForFirstConsumer claim is Bound, with the chosen node recorded on it, before the pod is
// bound (compared by resourceVersion, the store's one global order); a claim nothing binds
// keeps the pod unbound until a matching volume appears; and after the bind timeout the pod
// gets kube-scheduler's FailedScheduling message and is retried.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeClock } from "../../../core/clock.js";
import { Informer, isRecord, type KubeClient, type Unstructured } from "../../../kube/client/index.js";
import { startSchedulerWithStorage, startStorageControllers } from "../../../orchestrator/storage/index.js";
import { BIND_TIMEOUT_MS } from "../../../orchestrator/storage/prebind.js";
import { startLiveApiServer, type LiveApiServer } from "../../helpers/liveApiServer.js";
import { pv, pvc } from "./fixture.js";

let live: LiveApiServer;
let clock: FakeClock;
let client: KubeClient;

beforeEach(async () => {
  live = await startLiveApiServer({
    node: true,
    dataDirPrefix: "berth-prebind-",
    components: async (options) => [await startStorageControllers(options), await startSchedulerWithStorage(options)],
    pollRounds: 300,
  });
  ({ clock, client } = live);
});

afterEach(() => live.close());

const POD = { apiVersion: "v1", kind: "Pod", namespace: "default" };
const CLAIM = { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "default" };

function field(obj: unknown, ...keys: string[]): unknown {
  let v = obj;
  for (const k of keys) v = isRecord(v) ? v[k] : undefined;
  return v;
}

async function createClass(name: string, provisioner: string): Promise<void> {
  await client.create({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner, volumeBindingMode: "WaitForFirstConsumer" });
}

async function createPod(name: string, claim: string): Promise<void> {
  const container = { name: "app", image: "nginx", volumeMounts: [{ name: "data", mountPath: "/data" }] };
  await client.create({ ...POD, metadata: { name, namespace: "default" }, spec: { containers: [container], volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim } }] } });
}

async function nodeOf(pod: string): Promise<string | undefined> {
  const p = await client.tryGet({ ...POD, name: pod });
  const node = field(p, "spec", "nodeName");
  return typeof node === "string" && node !== "" ? node : undefined;
}

/** Records the resourceVersion at which `seen` first held for each object name. */
function firstSeen(type: { apiVersion: string; kind: string }, seen: (o: Unstructured) => boolean): { informer: Informer; at: Map<string, bigint> } {
  const at = new Map<string, bigint>();
  const informer = new Informer(client, type, { namespace: "default", clock });
  const note = (o: Unstructured): void => {
    const name = o.metadata.name ?? "";
    if (!at.has(name) && seen(o)) at.set(name, BigInt(o.metadata.resourceVersion ?? "0"));
  };
  informer.addHandlers({ add: note, update: (_old, o) => note(o) });
  return { informer, at };
}

describe("VolumeBinding PreBind", () => {
  it("binds a WaitForFirstConsumer claim on the chosen node before the pod is bound", async () => {
    await createClass("local-wffc", "berth.dev/hostpath");
    const claims = firstSeen({ apiVersion: "v1", kind: "PersistentVolumeClaim" }, (o) => field(o, "status", "phase") === "Bound");
    const pods = firstSeen({ apiVersion: "v1", kind: "Pod" }, (o) => Boolean(field(o, "spec", "nodeName")));
    await Promise.all([claims.informer.start(), pods.informer.start()]);
    try {
      await client.create(pvc("data", { className: "local-wffc" }));
      await createPod("db", "data");
      const node = await live.eventually(() => nodeOf("db"));
      const claim = await client.get({ ...CLAIM, name: "data" });
      expect(field(claim, "metadata", "annotations", "volume.kubernetes.io/selected-node")).toBe(node);
      expect(field(claim, "status", "phase")).toBe("Bound");
      const podBoundAt = await live.eventually(async () => pods.at.get("db"));
      const claimBoundAt = await live.eventually(async () => claims.at.get("data"));
      expect(claimBoundAt).toBeLessThan(podBoundAt);
    } finally {
      claims.informer.stop();
      pods.informer.stop();
    }
  });

  it("keeps the pod unbound while nothing binds its claim, then binds it once a volume matches", async () => {
    await createClass("external", "example.com/external");
    await client.create(pvc("data", { className: "external" }));
    await createPod("db", "data");
    const selected = await live.eventually(async () => {
      const c = await client.get({ ...CLAIM, name: "data" });
      const node = field(c, "metadata", "annotations", "volume.kubernetes.io/selected-node");
      return typeof node === "string" ? node : undefined;
    });
    // PreBind is waiting: the node is chosen and recorded, the pod is not bound.
    for (let i = 0; i < 20; i++) {
      clock.advance(1000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await nodeOf("db")).toBeUndefined();
    await client.create(pv("static-1", { className: "external", node: selected }));
    expect(await live.eventually(() => nodeOf("db"))).toBe(selected);
    expect(field(await client.get({ ...CLAIM, name: "data" }), "spec", "volumeName")).toBe("static-1");
  });

  it("gives up after the bind timeout with kube-scheduler's message, and retries", async () => {
    await createClass("external", "example.com/external");
    await client.create(pvc("data", { className: "external" }));
    await createPod("db", "data");
    await live.eventually(async () => {
      const c = await client.get({ ...CLAIM, name: "data" });
      return field(c, "metadata", "annotations", "volume.kubernetes.io/selected-node") ? true : undefined;
    });
    clock.advance(BIND_TIMEOUT_MS);
    const failed = await live.eventually(async () => {
      const list = await client.list({ apiVersion: "v1", kind: "Event" }, { namespace: "default" });
      return list.items.find((e) => e.reason === "FailedScheduling");
    });
    expect(failed.message).toBe('running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
    const condition = await live.eventually(async () => {
      const conditions = field(await client.get({ ...POD, name: "db" }), "status", "conditions");
      return Array.isArray(conditions) ? conditions.find((c) => field(c, "reason") === "SchedulerError") : undefined;
    });
    expect(condition).toMatchObject({ type: "PodScheduled", status: "False", message: failed.message });
    expect(await nodeOf("db")).toBeUndefined();
    // Retried after backoff: a volume appearing now still lands the pod.
    await client.create(pv("static-1", { className: "external" }));
    expect(await live.eventually(() => nodeOf("db"), { stepMs: 1000 })).toBe("berth-node-1");
  });
});
