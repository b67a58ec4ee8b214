// waitForReady: polls each pending object (and a Service's Endpoints) until every one is
// Healthy, one fails (Degraded, unless failFast is off) or the timeout passes; time comes from
// the injected Clock. Polling, not watching, keeps it the same on every kind and every server;
// each round reads only the objects still pending.
import { realClock, type Clock } from "../../core/clock.js";
import { KubeError } from "../../core/errors.js";
import type { KubeClient } from "../client/client.js";
import { describeRef, refOf, type KubeObject, type ObjectRef } from "../client/objects.js";
import { health, needsEndpoints, type Health } from "./health.js";

export interface ResourceState extends Health {
  ref: ObjectRef;
}

export interface WaitOptions {
  client: KubeClient;
  timeoutMs: number;
  clock?: Clock;
  /** Between polls (default 1000 ms). */
  pollMs?: number;
  /** Stop at the first Degraded object (default true). */
  failFast?: boolean;
  /** Every round, with the state of every object. */
  onProgress?: (states: ResourceState[]) => void;
}

export class WaitError extends KubeError {
  override readonly code: string = "WAIT_FAILED";

  constructor(
    message: string,
    readonly states: ResourceState[],
  ) {
    super(message);
  }
}

export async function waitForReady(objects: readonly KubeObject[], options: WaitOptions): Promise<ResourceState[]> {
  const clock = options.clock ?? realClock;
  const deadline = clock.now() + options.timeoutMs;
  const states = new Map<string, ResourceState>();
  for (const obj of objects) {
    const ref = { ...refOf(obj), namespace: obj.metadata?.namespace || undefined };
    states.set(keyOf(ref), { ref, status: "Progressing", message: "not checked yet" });
  }
  for (;;) {
    for (const [key, state] of states) {
      if (state.status !== "Healthy") states.set(key, { ref: state.ref, ...(await check(options.client, state.ref)) });
    }
    const all = [...states.values()];
    options.onProgress?.(all);
    const failed = all.filter((s) => s.status === "Degraded");
    if (failed.length > 0 && options.failFast !== false) throw new WaitError(`${summary(failed)}`, all);
    const pending = all.filter((s) => s.status !== "Healthy");
    if (pending.length === 0) return all;
    if (clock.now() >= deadline) throw new WaitError(`timed out after ${options.timeoutMs} ms waiting for ${summary(pending)}`, all);
    const wait = Math.min(options.pollMs ?? 1000, Math.max(0, deadline - clock.now()));
    await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
  }
}

async function check(client: KubeClient, ref: ObjectRef): Promise<Health> {
  const obj = await client.tryGet(ref);
  if (!obj || !needsEndpoints(ref)) return health(obj);
  const endpoints = await client.tryGet({ apiVersion: "v1", kind: "Endpoints", name: ref.name, namespace: obj.metadata.namespace });
  return health(obj, { endpoints });
}

function keyOf(ref: ObjectRef): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ""}|${ref.name}`;
}

function summary(states: ResourceState[]): string {
  return states.map((s) => `${describeRef(s.ref)} (${s.status}: ${s.message})`).join(", ");
}
