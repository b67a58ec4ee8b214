// Events as kube-controller-manager's recorder writes them (core/v1, named OBJECT.<hex time>),
// so `kubectl describe` and `kubectl get events` show why a controller acted. Recording is
// best effort: a failed event never fails the reconcile that produced it.
import type { Clock } from "../../../core/clock.js";
import type { KubeClient, TypedKubeObject } from "../../../kube/client/index.js";
import { rfc3339 } from "../job/time.js";

export interface EventInput {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export interface EventContext {
  client: KubeClient;
  clock: Clock;
  onError?: (message: string) => void;
  /** The reporting component (default "berth-controller-manager"). */
  component?: string;
}

export async function recordEvent(ctx: EventContext, obj: TypedKubeObject, e: EventInput): Promise<void> {
  const now = ctx.clock.now();
  const name = obj.metadata?.name ?? "";
  const namespace = obj.metadata?.namespace ?? "default";
  const at = rfc3339(now);
  const event = {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.${(BigInt(now) * 1_000_000n).toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`, namespace },
    involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name, namespace: obj.metadata?.namespace, uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion },
    type: e.type,
    reason: e.reason,
    message: e.message,
    source: { component: ctx.component ?? "berth-controller-manager" },
    count: 1,
    firstTimestamp: at,
    lastTimestamp: at,
  };
  try {
    await ctx.client.create(event);
  } catch (err) {
    ctx.onError?.(`event ${e.reason} for ${obj.kind ?? ""}/${name}: ${String(err)}`);
  }
}
