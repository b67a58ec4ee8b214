// A real API server in process (embedded store, loopback port 0) with a kubeconfig for
// components, a client for the test's own writes and reads, and the scheduler on a FakeClock.
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { KubeConfig, type V1Node, type V1Pod } from "@kubernetes/client-node";
import { FakeClock } from "../../../core/clock.js";
import { KubeClient, Transport, type Unstructured } from "../../../kube/client/index.js";
import { createApiServer, type ApiServer } from "../../../orchestrator/apiserver/server.js";
import type { Component } from "../../../orchestrator/component.js";
import { startScheduler } from "../../../orchestrator/scheduler/index.js";
import { openEmbeddedStore } from "../../../orchestrator/store/embedded/index.js";
import type { Store } from "../../../orchestrator/store/types.js";

export interface SchedulerHarness {
  clock: FakeClock;
  client: KubeClient;
  createNode(node: V1Node): Promise<void>;
  createPod(pod: V1Pod): Promise<void>;
  getPod(name: string): Promise<Unstructured | undefined>;
  events(): Promise<Unstructured[]>;
  /** Polls (letting I/O run, optionally advancing the fake clock) until check returns a value. */
  eventually<T>(check: () => Promise<T | undefined>, options?: { advanceMs?: number }): Promise<T>;
  close(): Promise<void>;
}

export async function startSchedulerHarness(): Promise<SchedulerHarness> {
  const store: Store = await openEmbeddedStore();
  const server: ApiServer = await createApiServer({ store });
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = server.app.server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "test", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: "test" }],
    contexts: [{ name: "test", cluster: "test", user: "test" }],
    currentContext: "test",
  });
  const clock = new FakeClock(Date.parse("2025-01-01T00:00:00Z"));
  const client = new KubeClient(new Transport({ kubeConfig, server: `http://127.0.0.1:${port}` }), "default");
  const scheduler: Component = await startScheduler({ kubeConfig, clock });
  return {
    clock,
    client,
    createNode: async (node) => void (await client.create(node)),
    createPod: async (pod) => void (await client.create(pod)),
    getPod: (name) => client.tryGet({ apiVersion: "v1", kind: "Pod", namespace: "default", name }),
    events: async () => (await client.list({ apiVersion: "v1", kind: "Event" }, { namespace: "default" })).items,
    async eventually(check, options = {}) {
      for (let i = 0; i < 500; i++) {
        const value = await check();
        if (value !== undefined) return value;
        if (options.advanceMs) clock.advance(options.advanceMs);
        await sleep(10);
      }
      throw new Error("condition not met after 500 polls");
    },
    async close() {
      await scheduler.stop();
      await server.close();
      await store.close();
    },
  };
}

export function nodeNameOf(obj: Unstructured | undefined): string | undefined {
  const spec = obj?.spec;
  return spec && typeof spec === "object" && "nodeName" in spec && typeof spec.nodeName === "string" ? spec.nodeName : undefined;
}

export function podScheduledCondition(obj: Unstructured | undefined): { status?: unknown; reason?: unknown; message?: unknown } | undefined {
  const status = obj?.status;
  if (!status || typeof status !== "object" || !("conditions" in status) || !Array.isArray(status.conditions)) return undefined;
  return status.conditions.find((c: { type?: unknown }) => c.type === "PodScheduled");
}
