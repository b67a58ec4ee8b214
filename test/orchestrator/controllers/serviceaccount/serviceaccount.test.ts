// The ServiceAccount controllers against the real API server on a FakeClock: every namespace
// (the four built-in ones and new ones) gets the `default` ServiceAccount and the
// kube-root-ca.crt ConfigMap; a deleted account or map comes back, a tampered map is put back,
// and terminating namespaces get nothing. The namespace predicate as a table.
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../../core/clock.js";
import type { KubeClient, Unstructured } from "../../../../kube/client/index.js";
import { createApiServer, type ApiServer } from "../../../../orchestrator/apiserver/server.js";
import type { Component } from "../../../../orchestrator/component.js";
import { kubeconfigYaml } from "../../../../orchestrator/cluster/kubeconfig.js";
import { clientFor } from "../../../../orchestrator/controllers/batchAndNetwork.js";
import { DESCRIPTION, DESCRIPTION_ANNOTATION } from "../../../../orchestrator/controllers/rootca/controller.js";
import { isActive } from "../../../../orchestrator/controllers/serviceaccount/namespaces.js";
import { kubeConfigCa, startServiceAccountControllers } from "../../../../orchestrator/controllers/serviceAccounts.js";
import { openEmbeddedStore } from "../../../../orchestrator/store/embedded/index.js";
import type { Store } from "../../../../orchestrator/store/types.js";

const T0 = Date.parse("2025-01-01T00:00:00Z");
const CA = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";
const BUILT_IN = ["default", "kube-node-lease", "kube-public", "kube-system"];

function ns(o: { deleting?: boolean; phase?: string } = {}): Unstructured {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: "x", deletionTimestamp: o.deleting ? "2025-01-01T00:00:00Z" : undefined }, status: o.phase ? { phase: o.phase } : {} };
}

describe("isActive", () => {
  const table: { name: string; ns: Unstructured | undefined; want: boolean }[] = [
    { name: "missing", ns: undefined, want: false },
    { name: "active", ns: ns({ phase: "Active" }), want: true },
    { name: "no status yet", ns: ns(), want: true },
    { name: "deletion requested", ns: ns({ deleting: true, phase: "Active" }), want: false },
    { name: "terminating", ns: ns({ phase: "Terminating" }), want: false },
  ];
  for (const c of table) it(c.name, () => expect(isActive(c.ns)).toBe(c.want));
});

describe("kubeConfigCa", () => {
  it("reads the CA the kubeconfig trusts, and none for plain http", () => {
    const withCa = new KubeConfig();
    withCa.loadFromString(kubeconfigYaml("https://127.0.0.1:6443", { caPem: CA, certPem: "c", keyPem: "k" }));
    expect(kubeConfigCa({ kubeConfig: withCa, clock: new FakeClock() })).toBe(CA);
    const plain = new KubeConfig();
    plain.loadFromString(kubeconfigYaml("http://127.0.0.1:6443"));
    expect(kubeConfigCa({ kubeConfig: plain, clock: new FakeClock() })).toBeUndefined();
  });
});

describe("serviceaccount controllers against the API server", () => {
  let store: Store;
  let server: ApiServer;
  let clock: FakeClock;
  let client: KubeClient;
  let kubeConfig: KubeConfig;
  let component: Component | undefined;

  beforeEach(async () => {
    store = await openEmbeddedStore();
    clock = new FakeClock(T0);
    server = await createApiServer({ store, clock });
    const url = await server.app.listen({ host: "127.0.0.1", port: 0 });
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigYaml(url));
    client = clientFor({ kubeConfig, clock });
  });
  afterEach(async () => {
    await component?.stop();
    component = undefined;
    await server.close();
    await store.close();
  });

  /** Publishes CA unless told otherwise; the kubeconfig here is plain http, so it trusts no CA. */
  const start = async (options: { publishCa?: boolean } = {}) => {
    component = await startServiceAccountControllers({ kubeConfig, clock, caPem: options.publishCa === false ? undefined : CA });
  };
  const account = (namespace: string) => client.tryGet({ apiVersion: "v1", kind: "ServiceAccount", namespace, name: "default" });
  const rootCa = (namespace: string) => client.tryGet({ apiVersion: "v1", kind: "ConfigMap", namespace, name: "kube-root-ca.crt" });
  const accountNamespaces = async () => (await client.list({ apiVersion: "v1", kind: "ServiceAccount" }, { allNamespaces: true })).items.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort();

  /** Real I/O needs real turns; the controllers' backoff runs on the fake clock. */
  async function until<T>(check: () => Promise<T | undefined | false>, what: string): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      clock.advance(100);
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it("gives every existing and new namespace its default account and root CA map", async () => {
    await start();
    await until(async () => (await accountNamespaces()).length === 4, "built-in namespaces' accounts");
    expect(await accountNamespaces()).toEqual(BUILT_IN.map((n) => `${n}/default`));
    await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    const sa = await until(() => account("team-a"), "team-a's account");
    expect(sa.metadata.name).toBe("default");
    for (const n of [...BUILT_IN, "team-a"]) {
      const cm = await until(() => rootCa(n), `${n}'s root CA`);
      expect(cm.data).toEqual({ "ca.crt": CA });
      expect(cm.metadata.annotations).toEqual({ [DESCRIPTION_ANNOTATION]: DESCRIPTION });
    }
  });

  it("creates a deleted account again, with a new uid", async () => {
    await start();
    const first = await until(() => account("default"), "the default account");
    await client.delete({ apiVersion: "v1", kind: "ServiceAccount", namespace: "default", name: "default" });
    const second = await until(async () => {
      const sa = await account("default");
      return sa && sa.metadata.uid !== first.metadata.uid ? sa : undefined;
    }, "the account again");
    expect(second.metadata.name).toBe("default");
  });

  it("puts back a root CA map that was changed or deleted, keeping its other annotations", async () => {
    await start();
    const cm = await until(() => rootCa("kube-public"), "the root CA map");
    await client.update({ ...cm, metadata: { ...cm.metadata, annotations: { team: "x" } }, data: { "ca.crt": "tampered", extra: "y" } });
    const restored = await until(async () => {
      const now = await rootCa("kube-public");
      return now?.data !== undefined && JSON.stringify(now.data) === JSON.stringify({ "ca.crt": CA }) ? now : undefined;
    }, "the restored map");
    expect(restored.metadata.annotations).toEqual({ team: "x", [DESCRIPTION_ANNOTATION]: DESCRIPTION });
    await client.delete({ apiVersion: "v1", kind: "ConfigMap", namespace: "kube-public", name: "kube-root-ca.crt" });
    await until(async () => {
      const now = await rootCa("kube-public");
      return now !== undefined && now.metadata.uid !== cm.metadata.uid;
    }, "the map again");
  });

  it("publishes no CA without one, and still makes accounts", async () => {
    await start({ publishCa: false });
    await until(() => account("kube-system"), "kube-system's account");
    expect((await client.list({ apiVersion: "v1", kind: "ConfigMap" }, { allNamespaces: true })).items).toEqual([]);
  });

  it("adds nothing to a terminating namespace", async () => {
    // A finalizer the namespace loop does not own keeps the namespace Terminating.
    await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "going" }, spec: { finalizers: ["example.com/hold"] } });
    await client.delete({ apiVersion: "v1", kind: "Namespace", name: "going" });
    const phase = (await client.get({ apiVersion: "v1", kind: "Namespace", name: "going" })).status;
    expect(phase).toMatchObject({ phase: "Terminating" });
    await start();
    await until(async () => (await accountNamespaces()).length === 4, "the built-in namespaces' accounts");
    await until(async () => (await rootCa("kube-system")) !== undefined, "kube-system's root CA");
    expect(await account("going")).toBeUndefined();
    expect(await rootCa("going")).toBeUndefined();
  });
});
