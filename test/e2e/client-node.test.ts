// @kubernetes/client-node as a second real client: list, watch with resume, create, patch, delete.
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "../helpers/cluster.js";

let c: TestCluster;
let core: k8s.CoreV1Api;
let kc: k8s.KubeConfig;
const NS = "client";

beforeAll(async () => {
  c = await startTestCluster();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
});
afterAll(async () => {
  await c.stop();
});

function configMap(name: string, data: Record<string, string>): k8s.V1ConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: { suite: "client" } }, data };
}

interface Seen {
  type: string;
  name: string;
  rv: string;
}

function watchEvents(path: string, query: Record<string, string>, until: (events: Seen[]) => boolean): Promise<Seen[]> {
  const events: Seen[] = [];
  return new Promise((resolve, reject) => {
    let req: AbortController | undefined;
    const finish = () => {
      req?.abort();
      resolve(events);
    };
    new k8s.Watch(kc)
      .watch(path, query, (type: string, obj: k8s.V1ConfigMap) => {
        events.push({ type, name: obj.metadata?.name ?? "", rv: obj.metadata?.resourceVersion ?? "" });
        if (until(events)) finish();
      }, (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : undefined))
      .then((controller) => (req = controller), reject);
  });
}

describe("@kubernetes/client-node", () => {
  it("creates, reads and lists", async () => {
    const created = await core.createNamespacedConfigMap({ namespace: NS, body: configMap("one", { a: "1" }) });
    expect(created.metadata?.uid).toBeTruthy();
    expect((await core.readNamespacedConfigMap({ name: "one", namespace: NS })).data).toEqual({ a: "1" });
    await core.createNamespacedConfigMap({ namespace: NS, body: configMap("two", { b: "2" }) });
    const list = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: "suite=client" });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["one", "two"]);
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it("patches with merge and strategic merge patch", async () => {
    await core.patchNamespacedConfigMap({ name: "one", namespace: NS, body: { data: { a: "merged" } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
    await core.patchNamespacedConfigMap({ name: "one", namespace: NS, body: { metadata: { labels: { extra: "yes" } } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch));
    const got = await core.readNamespacedConfigMap({ name: "one", namespace: NS });
    expect(got.data).toEqual({ a: "merged" });
    expect(got.metadata?.labels).toEqual({ suite: "client", extra: "yes" });
  });

  it("watches, then resumes from a resourceVersion without missing events", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: NS });
    const from = list.metadata?.resourceVersion ?? "";
    const path = `/api/v1/namespaces/${NS}/configmaps`;
    const first = watchEvents(path, { resourceVersion: from }, (e) => e.some((x) => x.name === "three"));
    await core.createNamespacedConfigMap({ namespace: NS, body: configMap("three", {}) });
    const seen = await first;
    expect(seen.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED three"]);
    // Changes made while nobody watches arrive when the watch resumes from the last seen version.
    await core.createNamespacedConfigMap({ namespace: NS, body: configMap("four", {}) });
    await core.deleteNamespacedConfigMap({ name: "three", namespace: NS });
    const resumed = await watchEvents(path, { resourceVersion: seen[0].rv }, (e) => e.length >= 2);
    expect(resumed.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED four", "DELETED three"]);
  });

  it("deletes, and a later read is a 404", async () => {
    await core.deleteNamespacedConfigMap({ name: "two", namespace: NS });
    const err = await core.readNamespacedConfigMap({ name: "two", namespace: NS }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect((err as k8s.ApiException<unknown>).code).toBe(404);
  });

  it("a watch with sendInitialEvents ends its initial events with a bookmark", async () => {
    const events = await watchEvents(`/api/v1/namespaces/${NS}/configmaps`, { sendInitialEvents: "true", allowWatchBookmarks: "true", resourceVersionMatch: "NotOlderThan" }, (e) => e.some((x) => x.type === "BOOKMARK"));
    const bookmark = events.findIndex((e) => e.type === "BOOKMARK");
    expect(events.slice(0, bookmark).every((e) => e.type === "ADDED")).toBe(true);
    expect(events.slice(0, bookmark).map((e) => e.name)).toContain("one");
    expect(events[bookmark].rv).toMatch(/^\d+$/);
  });

  it("an informer lists, then follows creates, patches and deletes", async () => {
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${NS}/configmaps`, () => core.listNamespacedConfigMap({ namespace: NS }));
    const log: string[] = [];
    const waiters: Array<{ match: string; resolve: () => void }> = [];
    const record = (type: string) => (obj: k8s.V1ConfigMap) => {
      const line = `${type} ${obj.metadata?.name ?? ""} ${JSON.stringify(obj.data ?? {})}`;
      log.push(line);
      for (const w of waiters) if (line === w.match) w.resolve();
    };
    const seen = (match: string) => (log.includes(match) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ match, resolve })));
    informer.on("add", record("add"));
    informer.on("update", record("update"));
    informer.on("delete", record("delete"));
    await informer.start();
    try {
      expect(informer.list().map((o) => o.metadata?.name)).toContain("one");
      await core.createNamespacedConfigMap({ namespace: NS, body: configMap("informed", { v: "1" }) });
      await seen('add informed {"v":"1"}');
      await core.patchNamespacedConfigMap({ name: "informed", namespace: NS, body: { data: { v: "2" } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
      await seen('update informed {"v":"2"}');
      await core.deleteNamespacedConfigMap({ name: "informed", namespace: NS });
      await seen('delete informed {"v":"2"}');
      expect(informer.get("informed", NS)).toBeUndefined();
    } finally {
      await informer.stop();
    }
  });
});
