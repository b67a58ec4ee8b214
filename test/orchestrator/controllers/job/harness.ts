// One fixture for the batch and network controller tests: the real API server on a loopback
// port over the embedded store, a FakeClock shared by server and controllers, the controllers
// themselves, and a client the test uses as its "kubelet" to move pods along.
import { KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { afterEach, beforeEach } from "vitest";
import { FakeClock } from "../../../../core/clock.js";
import type { KubeClient, Unstructured } from "../../../../kube/client/index.js";
import { createApiServer, type ApiServer } from "../../../../orchestrator/apiserver/server.js";
import { kubeconfigYaml } from "../../../../orchestrator/cluster/kubeconfig.js";
import type { Component } from "../../../../orchestrator/component.js";
import { clientFor, startBatchAndNetworkControllers } from "../../../../orchestrator/controllers/batchAndNetwork.js";
import { openEmbeddedStore } from "../../../../orchestrator/store/embedded/index.js";
import type { Store } from "../../../../orchestrator/store/types.js";

export const T0 = Date.parse("2025-01-01T00:00:00Z");

export interface PhaseOptions {
  ready?: boolean;
  ip?: string;
  /** The container's exit code (default 0 for Succeeded, 1 for Failed). */
  exitCode?: number;
  /** Extra pod conditions, e.g. DisruptionTarget. */
  conditions?: { type: string; status: string; reason?: string }[];
}

export interface ControllerHarness {
  clock: FakeClock;
  client: KubeClient;
  server: ApiServer;
  /** What the controllers reported (failed reconciles are retried, so not every one is a bug). */
  warnings: string[];
  /** Polls until check passes, moving the fake clock by stepMs between tries (real I/O needs real turns). */
  until<T>(check: () => Promise<T | undefined | false>, options?: { stepMs?: number; tries?: number }): Promise<T>;
  /** Sets a pod's phase the way a kubelet would (container terminated with an exit code). */
  setPodPhase(pod: Unstructured | V1Pod, phase: "Running" | "Succeeded" | "Failed", options?: PhaseOptions): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ControllerHarnessOptions {
  /** The fake clock's start (default T0). */
  start?: number;
  /** The node lifecycle controller's grace period (default its own). */
  gracePeriodMs?: number;
}

export async function startControllerHarness(options: ControllerHarnessOptions = {}): Promise<ControllerHarness> {
  const store: Store = await openEmbeddedStore();
  const clock = new FakeClock(options.start ?? T0);
  const server = await createApiServer({ store, clock });
  const url = await server.app.listen({ host: "127.0.0.1", port: 0 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigYaml(url));
  const warnings: string[] = [];
  const logger = { info: () => undefined, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  const component: Component = await startBatchAndNetworkControllers({ kubeConfig, clock, logger, nodeLifecycle: { gracePeriodMs: options.gracePeriodMs } });
  const client = clientFor({ kubeConfig, clock });
  return {
    clock,
    client,
    server,
    warnings,
    async until(check, o = {}) {
      const tries = o.tries ?? 400;
      for (let i = 0; i < tries; i++) {
        const result = await check();
        if (result !== undefined && result !== false) return result;
        clock.advance(o.stepMs ?? 10);
        await sleep(10);
      }
      throw new Error("condition not reached");
    },
    async setPodPhase(pod, phase, o = {}) {
      const name = pod.metadata?.name ?? "";
      const namespace = pod.metadata?.namespace ?? "default";
      const current = await client.get({ apiVersion: "v1", kind: "Pod", namespace, name });
      const at = new Date(clock.now()).toISOString();
      const terminated = phase === "Running" ? undefined : { exitCode: o.exitCode ?? (phase === "Succeeded" ? 0 : 1), finishedAt: at, startedAt: at, reason: phase === "Succeeded" ? "Completed" : "Error" };
      const ready = o.ready ?? phase === "Running";
      const status = {
        phase,
        podIP: o.ip,
        conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: at }, ...(o.conditions ?? []).map((c) => ({ ...c, lastTransitionTime: at }))],
        containerStatuses: [{ name: "c", image: "busybox", imageID: "", ready, restartCount: 0, state: terminated ? { terminated } : { running: { startedAt: at } } }],
      };
      await client.updateStatus({ ...current, status });
    },
    async close() {
      await component.stop();
      await server.close();
      await store.close();
    },
  };
}

/**
 * A fresh harness for each test of the calling suite: started in beforeEach, closed in
 * afterEach. The answer stands for the current test's harness; use it only inside tests.
 */
export function useControllerHarness(options: ControllerHarnessOptions = {}): ControllerHarness {
  let current: ControllerHarness | undefined;
  beforeEach(async () => {
    current = await startControllerHarness(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const now = (): ControllerHarness => {
    if (!current) throw new Error("the controller harness exists only while a test runs");
    return current;
  };
  return {
    get clock() {
      return now().clock;
    },
    get client() {
      return now().client;
    },
    get server() {
      return now().server;
    },
    get warnings() {
      return now().warnings;
    },
    until: (check, o) => now().until(check, o),
    setPodPhase: (pod, phase, o) => now().setPodPhase(pod, phase, o),
    close: () => now().close(),
  };
}
