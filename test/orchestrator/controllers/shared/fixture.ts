// One fixture for workload controller tests: an in-process API server on a loopback port, the
// workload controllers on a FakeClock, a KubeClient, and a small pod driver standing in for
// the kubelet (marks pods Running and Ready, optionally only some of them).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { FakeClock } from "../../../../core/clock.js";
import { Informer, KubeClient, Transport, type Unstructured } from "../../../../kube/client/index.js";
import { createApiServer, type ApiServer } from "../../../../orchestrator/apiserver/server.js";
import type { Component } from "../../../../orchestrator/component.js";
import { startWorkloadControllers } from "../../../../orchestrator/controllers/workloads.js";
import { openEmbeddedStore } from "../../../../orchestrator/store/embedded/index.js";
import type { Store } from "../../../../orchestrator/store/types.js";

export interface PodDriverOptions {
  /** Pods for which this returns false stay Pending / not ready. */
  ready?: (pod: Unstructured) => boolean;
}

export interface Harness {
  client: KubeClient;
  clock: FakeClock;
  kubeconfigPath: string;
  driver: PodDriverOptions;
  /** Polls (advancing the fake clock by advanceMs each time) until check returns a value. */
  waitFor<T>(check: () => Promise<T | undefined | false>, options?: { advanceMs?: number; timeoutMs?: number; what?: string }): Promise<T>;
  pods(labelSelector?: string): Promise<V1Pod[]>;
  close(): Promise<void>;
}

function isPod(o: Unstructured): o is Unstructured & V1Pod {
  return o.kind === "Pod";
}

export async function startHarness(options: { driver?: PodDriverOptions; controllers?: boolean } = {}): Promise<Harness> {
  const store: Store = await openEmbeddedStore();
  const clock = new FakeClock(Date.parse("2025-01-01T00:00:00Z"));
  const server: ApiServer = await createApiServer({ store, clock, gcIntervalMs: 100 });
  const url = await server.app.listen({ port: 0, host: "127.0.0.1" });
  const dir = await mkdtemp(path.join(tmpdir(), "berth-workloads-"));
  const kubeconfigPath = path.join(dir, "kubeconfig");
  await writeFile(
    kubeconfigPath,
    `apiVersion: v1
kind: Config
clusters: [{name: berth, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]
users: [{name: berth, user: {}}]
contexts: [{name: berth, context: {cluster: berth, user: berth, namespace: default}}]
current-context: berth
`,
  );
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const client = new KubeClient(new Transport({ kubeConfig, server: url }), "default");
  const driver: PodDriverOptions = options.driver ?? {};
  const podInformer = new Informer(client, { apiVersion: "v1", kind: "Pod" }, { allNamespaces: true });
  const markReady = (pod: Unstructured): void => {
    if (!isPod(pod) || pod.metadata?.deletionTimestamp || pod.status?.phase === "Running" || driver.ready?.(pod) === false) return;
    const now = new Date(clock.now()).toISOString();
    const status = { phase: "Running", podIP: "10.0.0.1", startTime: now, conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }] };
    void client.updateStatus({ ...pod, status }).catch(() => undefined);
  };
  podInformer.addHandlers({ add: markReady, update: (_o, p) => markReady(p) });
  await podInformer.start();
  const controllers: Component | undefined = options.controllers === false ? undefined : await startWorkloadControllers({ kubeConfig, clock });
  const harness: Harness = {
    client,
    clock,
    kubeconfigPath,
    driver,
    async waitFor(check, o = {}) {
      const deadline = Date.now() + (o.timeoutMs ?? 20_000);
      for (;;) {
        const value = await check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${o.what ?? "condition"}`);
        clock.advance(o.advanceMs ?? 1000);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async pods(labelSelector) {
      const list = await client.list({ apiVersion: "v1", kind: "Pod" }, { namespace: "default", labelSelector });
      return list.items.filter(isPod).filter((p) => !p.metadata?.deletionTimestamp);
    },
    async close() {
      await controllers?.stop();
      podInformer.stop();
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
