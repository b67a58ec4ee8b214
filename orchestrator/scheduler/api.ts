// The scheduler's writes, all through the API: the pods/binding subresource, the PodScheduled
// condition and nominatedNodeName (a strategic merge patch on pods/status, merged by condition
// type), Events, and graceful deletion of preemption victims.
import type { V1Pod } from "@kubernetes/client-node";
import type { Clock } from "../../core/clock.js";
import type { KubeClient } from "../../kube/client/index.js";

export const SCHEDULER_NAME = "default-scheduler";

export interface UnschedulableStatus {
  message: string;
  /** Set when preemption chose a node for the pod; "" clears an earlier nomination. */
  nominatedNodeName?: string;
  /** The condition's reason: Unschedulable (default), or SchedulerError when a plugin failed. */
  reason?: "Unschedulable" | "SchedulerError";
}

export interface EventSpec {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  action: string;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class SchedulerApi {
  private eventSeq = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
  ) {}

  async bind(pod: V1Pod, node: string): Promise<void> {
    const namespace = pod.metadata?.namespace ?? "default";
    const name = pod.metadata?.name ?? "";
    const body = { apiVersion: "v1", kind: "Binding", metadata: { name, namespace, uid: pod.metadata?.uid }, target: { apiVersion: "v1", kind: "Node", name: node } };
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/binding`;
    await this.client.transport.json({ method: "POST", path, body, what: `bind pods/${name} -n ${namespace} to ${node}` });
  }

  async markUnschedulable(pod: V1Pod, status: UnschedulableStatus): Promise<void> {
    const condition = { type: "PodScheduled", status: "False", reason: status.reason ?? "Unschedulable", message: status.message, lastProbeTime: null, lastTransitionTime: rfc3339(this.clock.now()) };
    const patch: Record<string, unknown> = { conditions: [condition] };
    if (status.nominatedNodeName !== undefined) patch.nominatedNodeName = status.nominatedNodeName || null;
    await this.client.patch(
      { apiVersion: "v1", kind: "Pod", namespace: pod.metadata?.namespace, name: pod.metadata?.name ?? "" },
      { status: patch },
      { type: "strategic", subresource: "status", fieldManager: SCHEDULER_NAME },
    );
  }

  async event(pod: V1Pod, spec: EventSpec): Promise<void> {
    const now = this.clock.now();
    const namespace = pod.metadata?.namespace ?? "default";
    const podName = pod.metadata?.name ?? "";
    const time = rfc3339(now);
    await this.client.create({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${podName}.${(now * 1000 + (this.eventSeq++ % 1000)).toString(16)}`, namespace },
      involvedObject: { apiVersion: "v1", kind: "Pod", namespace, name: podName, uid: pod.metadata?.uid, resourceVersion: pod.metadata?.resourceVersion },
      reason: spec.reason,
      message: spec.message,
      type: spec.type,
      action: spec.action,
      source: { component: SCHEDULER_NAME },
      reportingComponent: SCHEDULER_NAME,
      reportingInstance: SCHEDULER_NAME,
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    });
  }

  /** Graceful delete: the victim's own terminationGracePeriodSeconds applies. */
  async evict(pod: V1Pod): Promise<void> {
    await this.client.delete({ apiVersion: "v1", kind: "Pod", namespace: pod.metadata?.namespace, name: pod.metadata?.name ?? "" });
  }
}
