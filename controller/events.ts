// Kubernetes Events on the Application (`kubectl describe app`, `kubectl get events`): one per
// sync started, succeeded or failed, and per comparison error. Best effort: an Event that
// cannot be written never fails a sync.
import type { Clock } from "../core/clock.js";
import type { KubeClient } from "../kube/client/index.js";
import { API_VERSION, KIND, type Application } from "./application/types.js";

export type EventReason = "OperationStarted" | "SyncRetry" | "Synced" | "SyncFailed" | "ComparisonError" | "Pruned" | "Deleted";

export interface EventRecorder {
  record(app: Application, event: { reason: EventReason; message: string; warning?: boolean }): Promise<void>;
}

export function createEventRecorder(options: { client: KubeClient; clock: Clock; onError?: (err: unknown) => void }): EventRecorder {
  return {
    async record(app, event) {
      const now = new Date(options.clock.now()).toISOString();
      const body = {
        apiVersion: "v1",
        kind: "Event",
        metadata: { generateName: `${app.name}.`, namespace: app.namespace },
        involvedObject: { apiVersion: API_VERSION, kind: KIND, name: app.name, namespace: app.namespace, uid: app.uid },
        reason: event.reason,
        message: event.message,
        type: event.warning ? "Warning" : "Normal",
        source: { component: "berth-controller" },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      };
      try {
        await options.client.create(body);
      } catch (err) {
        options.onError?.(err);
      }
    },
  };
}
