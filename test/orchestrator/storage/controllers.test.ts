// The storage component against a real API server in-process on a fake clock, with a temp
// data dir: admission fills the default class and the protection finalizers, the binder
// provisions a directory and binds, Delete reclaim removes directory and volume, Retain
// leaves the volume Released, a static volume is preferred by size, and a claim in use by a
// pod keeps its finalizer until the pod has terminated.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeClock } from "../../../core/clock.js";
import { isRecord, type KubeClient, type Unstructured } from "../../../kube/client/index.js";
import { startStorageControllers } from "../../../orchestrator/storage/index.js";
import { startLiveApiServer, type LiveApiServer } from "../../helpers/liveApiServer.js";
import { pv, pvc } from "./fixture.js";

let live: LiveApiServer;
let clock: FakeClock;
let client: KubeClient;
let dataDir: string;

beforeEach(async () => {
  live = await startLiveApiServer({ dataDirPrefix: "berth-storage-", components: async (options) => [await startStorageControllers(options)] });
  ({ clock, client } = live);
  dataDir = live.dataDir ?? "";
});

afterEach(() => live.close());

const CLAIM = { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "default" };
const VOLUME = { apiVersion: "v1", kind: "PersistentVolume" };

async function claimIn(name: string, phase: string): Promise<Unstructured> {
  return live.eventually(async () => {
    const c = await client.tryGet({ ...CLAIM, name });
    const status = c?.status;
    return status && typeof status === "object" && "phase" in status && status.phase === phase ? c : undefined;
  });
}

function field(obj: Unstructured | undefined, ...keys: string[]): unknown {
  let v: unknown = obj;
  for (const k of keys) v = isRecord(v) ? v[k] : undefined;
  return v;
}

describe("storage controllers", () => {
  it("admission gives a classless claim the default class and the protection finalizer", async () => {
    const created = await client.create({ ...pvc("plain"), spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } });
    expect(field(created, "spec", "storageClassName")).toBe("standard");
    expect(created.metadata.finalizers).toEqual(["kubernetes.io/pvc-protection"]);
    const explicit = await client.create(pvc("none", { className: "" }));
    expect(field(explicit, "spec", "storageClassName")).toBe("");
  });

  it("provisions a directory, binds, and Delete reclaim removes both", async () => {
    const created = await client.create({ ...pvc("data", { size: "2Gi" }), metadata: { name: "data", namespace: "default" } });
    const bound = await claimIn("data", "Bound");
    const name = `pvc-${created.metadata.uid ?? ""}`;
    expect(field(bound, "spec", "volumeName")).toBe(name);
    expect(field(bound, "status", "capacity", "storage")).toBe("2Gi");
    const dir = path.join(dataDir, "volumes", name);
    expect(existsSync(dir)).toBe(true);
    const volume = await client.get({ ...VOLUME, name });
    expect(field(volume, "status", "phase")).toBe("Bound");
    expect(volume.metadata.finalizers).toEqual(["kubernetes.io/pv-protection"]);
    expect(field(volume, "status", "lastPhaseTransitionTime")).toBe("2025-01-01T00:00:00Z");
    await client.delete({ ...CLAIM, name: "data" });
    await live.eventually(async () => ((await client.tryGet({ ...VOLUME, name })) ? undefined : true));
    expect(existsSync(dir)).toBe(false);
  });

  it("binds the smallest fitting static volume; Retain leaves it Released", async () => {
    await client.create(pv("small", { size: "1Gi" }));
    await client.create(pv("right", { size: "4Gi" }));
    await client.create(pv("large", { size: "40Gi" }));
    await client.create(pvc("want", { className: "", size: "3Gi" }));
    const bound = await claimIn("want", "Bound");
    expect(field(bound, "spec", "volumeName")).toBe("right");
    expect(field(bound, "metadata", "annotations")).toMatchObject({ "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes" });
    await client.delete({ ...CLAIM, name: "want" });
    await live.eventually(async () => (field(await client.get({ ...VOLUME, name: "right" }), "status", "phase") === "Released" ? true : undefined));
    expect(field(await client.get({ ...VOLUME, name: "small" }), "status", "phase")).toBe("Available");
  });

  it("keeps a claim a running pod uses until the pod has terminated", async () => {
    await client.create(pvc("used", { className: "", size: "1Gi" }));
    await client.create(pv("v-used", { size: "1Gi" }));
    await claimIn("used", "Bound");
    const pod = await client.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "user", namespace: "default" },
      spec: { containers: [{ name: "app", image: "nginx" }], volumes: [{ name: "d", persistentVolumeClaim: { claimName: "used" } }] },
    });
    await client.delete({ ...CLAIM, name: "used" });
    clock.advance(5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const held = await client.get({ ...CLAIM, name: "used" });
    expect(held.metadata.deletionTimestamp).toBeDefined();
    await client.updateStatus({ ...pod, status: { phase: "Succeeded" } });
    await live.eventually(async () => ((await client.tryGet({ ...CLAIM, name: "used" })) ? undefined : true));
  });
});
