import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createKubeClient, Informer, objectKey, watchObjects, type KubeClient, type WatchEvent, type WatchHandle } from "../../../kube/client/index.js";
import { eventually, kubeconfigYaml, startFaultProxy, startKube, type FaultProxy, type KubeFixture } from "../fixture.js";

const CM = { apiVersion: "v1", kind: "ConfigMap" };
let kube: KubeFixture;
let proxy: FaultProxy;
let direct: KubeClient;
let proxied: KubeClient;
let dir = "";
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  // A short history window so a watch that was away for a while gets 410 Expired.
  kube = await startKube({ historyWindow: 20 });
  proxy = await startFaultProxy(kube.url);
  dir = await mkdtemp(path.join(os.tmpdir(), "berth-informer-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  await writeFile(kubeconfig, kubeconfigYaml([{ name: "proxied", server: proxy.url }], "proxied"));
  direct = kube.client();
  proxied = createKubeClient({ kubeconfig, retry: { attempts: 2, baseDelayMs: 1 } });
});
afterEach(() => cleanups.splice(0).forEach((c) => c()));
afterAll(async () => {
  await proxy.close();
  await kube.close();
  await rm(dir, { recursive: true, force: true });
});

async function namespace(name: string): Promise<void> {
  await direct.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
}

const cm = (ns: string, name: string, v: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data: { v } });

describe("watchObjects", () => {
  it("delivers events and resumes after the connection drops", async () => {
    await namespace("w1");
    const events: WatchEvent[] = [];
    const list = await proxied.list(CM, { namespace: "w1" });
    const handle: WatchHandle = watchObjects(proxied, CM, { namespace: "w1", resourceVersion: list.resourceVersion }, (e) => events.push(e));
    cleanups.push(() => handle.stop());
    await direct.apply(cm("w1", "a", "1"));
    await eventually(() => events.length === 1, "ADDED a");
    proxy.dropConnections();
    await direct.apply(cm("w1", "b", "1"));
    await direct.apply(cm("w1", "a", "2"));
    await eventually(() => events.length === 3, "events after the drop");
    expect(events.map((e) => (e.type === "RELISTED" ? "RELISTED" : `${e.type} ${e.object.metadata.name}`))).toEqual(["ADDED a", "ADDED b", "MODIFIED a"]);
  });
});

describe("watchObjects after 410", () => {
  it("relists when its resourceVersion was compacted away", async () => {
    await namespace("w2");
    const events: WatchEvent[] = [];
    const list = await direct.list(CM, { namespace: "w2" });
    for (let i = 0; i < 30; i++) await direct.apply(cm("default", "churn-w2", String(i)));
    await direct.apply(cm("w2", "late", "1"));
    const handle = watchObjects(direct, CM, { namespace: "w2", resourceVersion: list.resourceVersion }, (e) => events.push(e));
    cleanups.push(() => handle.stop());
    await eventually(() => events.length > 0, "an event");
    expect(events[0]).toMatchObject({ type: "RELISTED", objects: [{ metadata: { name: "late" } }] });
  });
});

describe("Informer", () => {
  it("syncs, then mirrors adds, updates and deletes", async () => {
    await namespace("i1");
    await direct.apply(cm("i1", "pre", "1"));
    const informer = new Informer(direct, CM, { namespace: "i1" });
    cleanups.push(() => informer.stop());
    const seen: string[] = [];
    informer.addHandlers({
      add: (o) => seen.push(`add ${o.metadata.name}`),
      update: (_old, o) => seen.push(`update ${o.metadata.name}`),
      delete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    await informer.start();
    expect(informer.hasSynced()).toBe(true);
    expect(informer.keys()).toEqual(["i1/pre"]);
    await direct.apply(cm("i1", "new", "1"));
    await direct.apply(cm("i1", "pre", "2"));
    await direct.delete({ ...CM, name: "new", namespace: "i1" });
    await eventually(() => seen.length === 4, "four events");
    expect(seen).toEqual(["add pre", "add new", "update pre", "delete new"]);
    expect(informer.get("i1/pre")?.data).toEqual({ v: "2" });
    expect(informer.get("i1/new")).toBeUndefined();
  });

  it("relists after 410 Expired and reports exactly what changed while it was away", async () => {
    await namespace("i2");
    await direct.apply(cm("i2", "stays", "1"));
    await direct.apply(cm("i2", "goes", "1"));
    const informer = new Informer(proxied, CM, { namespace: "i2" });
    cleanups.push(() => informer.stop());
    const seen: string[] = [];
    informer.addHandlers({ add: (o) => seen.push(`add ${objectKey(o)}`), update: (_o, n) => seen.push(`update ${objectKey(n)}`), delete: (o) => seen.push(`delete ${objectKey(o)}`) });
    await informer.start();
    seen.length = 0;
    // Cut the informer off, then write more than the history window holds.
    proxy.failNext(1_000_000, 503);
    proxy.dropConnections();
    await direct.delete({ ...CM, name: "goes", namespace: "i2" });
    await direct.apply(cm("i2", "arrived", "1"));
    for (let i = 0; i < 30; i++) await direct.apply(cm("default", "churn", String(i)));
    proxy.failNext(0, 503);
    await eventually(() => seen.length >= 2, "relist events");
    expect(seen.sort()).toEqual(["add i2/arrived", "delete i2/goes"]);
    expect(informer.keys().sort()).toEqual(["i2/arrived", "i2/stays"]);
  });

  it("keeps secondary indexes current through adds, moves between values, deletes and relists", async () => {
    await namespace("i3");
    await direct.apply({ ...cm("i3", "a", "1"), metadata: { name: "a", namespace: "i3", labels: { team: "red" } } });
    const informer = new Informer(proxied, CM, { namespace: "i3" });
    cleanups.push(() => informer.stop());
    // Defined before start (filed as objects arrive) and after (filed from the cache at once).
    informer.addIndex("team", (o) => (o.metadata.labels?.team ? [o.metadata.labels.team] : []));
    await informer.start();
    informer.addIndex("value", (o) => [String((o.data as Record<string, string> | undefined)?.v)]);
    const names = (index: string, value: string) => informer.byIndex(index, value).map((o) => o.metadata.name).sort();
    expect(names("team", "red")).toEqual(["a"]);
    expect(names("value", "1")).toEqual(["a"]);
    await direct.apply({ ...cm("i3", "b", "1"), metadata: { name: "b", namespace: "i3", labels: { team: "red" } } });
    await direct.apply({ ...cm("i3", "a", "2"), metadata: { name: "a", namespace: "i3", labels: { team: "blue" } } });
    await eventually(() => names("team", "blue").length === 1 && names("value", "1").length === 1, "a moved to blue");
    expect(names("team", "red")).toEqual(["b"]);
    expect(names("value", "2")).toEqual(["a"]);
    // Gone while the informer was cut off: the relist after 410 must unfile it too.
    proxy.failNext(1_000_000, 503);
    proxy.dropConnections();
    await direct.delete({ ...CM, name: "b", namespace: "i3" });
    for (let i = 0; i < 30; i++) await direct.apply(cm("default", "churn", `x${i}`));
    proxy.failNext(0, 503);
    await eventually(() => names("team", "red").length === 0, "b unfiled after the relist");
    expect(names("value", "1")).toEqual([]);
    expect(() => informer.byIndex("nope", "x")).toThrow(/not defined/);
    expect(() => informer.addIndex("team", () => [])).toThrow(/already defined/);
  });
});
