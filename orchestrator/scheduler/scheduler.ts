// One scheduler: informer events keep the cache and queue current; the loop pops the most
// important pending pod, runs the profile over the cache, assumes the pod onto the chosen node
// (so the next cycle already counts it) and binds in the background. A pod that fits nowhere
// gets PodScheduled=False with kube-scheduler's message, a FailedScheduling Event, a
// preemption attempt, and waits in the queue's unschedulable pool.
import type { V1Pod } from "@kubernetes/client-node";
import type { Clock } from "../../core/clock.js";
import type { ComponentLogger } from "../component.js";
import { isPodActiveOnNode } from "../kubelet/resources.js";
import { SCHEDULER_NAME, type SchedulerApi } from "./api.js";
import { SchedulerCache } from "./cache.js";
import { fitErrorMessage } from "./diagnosis.js";
import type { ClusterEvent } from "./events.js";
import { podEntry, podKey } from "./entries.js";
import { PreBindError, rejectingPlugins, schedulePod, type Diagnosis, type Profile } from "./framework.js";
import { InFlightLimit } from "./inflight.js";
import { EventRecorder } from "./recorder.js";
import { findPreemption } from "./preemption.js";
import { SchedulingQueue, type QueuedPod } from "./queue.js";
import type { PodEntry } from "./types.js";

export interface SchedulerOptions {
  api: SchedulerApi;
  clock: Clock;
  profile: Profile;
  logger?: ComponentLogger;
  /** PriorityClass name → value, when the API serves scheduling.k8s.io. */
  classValue?: (name: string) => number | undefined;
}

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  /** Pending pods by key, as last seen: each cycle reads the newest object. */
  private readonly pending = new Map<string, V1Pod>();
  private readonly background = new Set<Promise<void>>();
  /** The last unschedulable message written per pod, so retries do not rewrite it. */
  private readonly reported = new Map<string, string>();
  private loop: Promise<void> | undefined;
  /** Where the next cycle's node walk starts (kube-scheduler's nextStartNodeIndex). */
  private nextStart = 0;
  /** Bindings and unschedulable reports in flight at once. */
  private readonly apiCalls = new InFlightLimit(32);
  private readonly events: EventRecorder;
  private dropped = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.queue = new SchedulingQueue({ clock: options.clock });
    this.events = new EventRecorder({
      write: (pod, spec) => options.api.event(pod, spec),
      onDropped: () => {
        if (this.dropped++ % 1000 === 0) options.logger?.warn(`scheduler: event queue full, dropped ${this.dropped} event(s) so far`);
      },
    });
  }

  entry(pod: V1Pod): PodEntry {
    return podEntry(pod, { classValue: this.options.classValue });
  }

  onPod(pod: V1Pod, old?: V1Pod): void {
    const key = podKey(pod);
    const node = pod.spec?.nodeName;
    if (node) {
      this.pending.delete(key);
      this.queue.delete(key);
      this.reported.delete(key);
      if (!isPodActiveOnNode(pod)) return this.onPodGone(key);
      const entry = this.entry(pod);
      this.cache.setNominated(entry, undefined);
      const wasAssigned = Boolean(old?.spec?.nodeName) && !this.cache.isAssumed(key);
      this.cache.setAssignedPod(entry, node);
      if (!wasAssigned) this.queue.onEvent("AssignedPodAdd");
      else if (old && assignedPodChanged(this.entry(old), entry)) this.queue.onEvent("AssignedPodUpdate");
      return;
    }
    if ((pod.spec?.schedulerName ?? SCHEDULER_NAME) !== SCHEDULER_NAME || this.cache.isAssumed(key)) return;
    if (pod.metadata?.deletionTimestamp) return this.onPodDeleted(pod);
    this.pending.set(key, pod);
    // Status-only changes (our own condition patch among them) do not make a pod schedulable.
    if (old && this.queue.has(key) && !schedulingInputsChanged(old, pod)) return;
    const entry = this.entry(pod);
    this.cache.setNominated(entry, pod.status?.nominatedNodeName || undefined);
    this.queue.add(entry);
  }

  onPodDeleted(pod: V1Pod): void {
    const key = podKey(pod);
    this.pending.delete(key);
    this.queue.delete(key);
    this.reported.delete(key);
    this.cache.setNominated(this.entry(pod), undefined);
    this.onPodGone(key);
  }

  private onPodGone(key: string): void {
    this.cache.removePod(key);
    this.queue.onEvent("AssignedPodDelete");
  }

  /** A cluster change other than pods (nodes, claims, volumes). */
  onEvent(event: ClusterEvent): void {
    this.queue.onEvent(event);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.queue.close();
    await this.loop;
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private async run(): Promise<void> {
    for (;;) {
      const queued = await this.queue.pop();
      if (!queued) return;
      try {
        this.scheduleOne(queued);
      } catch (err) {
        this.options.logger?.error(`scheduling ${queued.entry.key}: ${String(err)}`);
        this.queue.requeueUnschedulable(queued, new Set());
      }
    }
  }

  /** One scheduling cycle; the API writes it starts run in the background. */
  scheduleOne(queued: QueuedPod): void {
    const key = queued.entry.key;
    const pod = this.pending.get(key);
    if (!pod) return this.queue.done(key);
    const entry = this.entry(pod);
    const result = schedulePod(this.options.profile, entry, this.cache, { startIndex: this.nextStart });
    this.nextStart += result.evaluated;
    if (result.node !== undefined) {
      this.cache.assume(entry, result.node);
      this.queue.done(key);
      this.track(this.bind({ ...queued, entry }, result.node));
      return;
    }
    this.queue.requeueUnschedulable({ ...queued, entry }, rejectingPlugins(result.diagnosis));
    this.track(this.apiCalls.run(() => this.handleUnschedulable(entry, result.diagnosis)));
  }

  private async bind(queued: QueuedPod, node: string): Promise<void> {
    const { pod, key } = queued.entry;
    try {
      // Outside the API slots: PreBind may wait long for volumes to bind (prebind.ts).
      await this.options.profile.preBind?.(pod, node);
      await this.apiCalls.run(() => this.options.api.bind(pod, node));
    } catch (err) {
      this.cache.forget(key);
      this.options.logger?.warn(`binding ${key} to ${node}: ${String(err)}`);
      if (err instanceof PreBindError) this.reportPreBindFailure(pod, key, err);
      // Level-triggered: if the pod is still pending the informer has it; retry after backoff.
      if (this.pending.has(key)) this.queue.requeueUnschedulable(queued, new Set());
      return;
    }
    this.track(this.events.record(pod, { type: "Normal", reason: "Scheduled", action: "Binding", message: `Successfully assigned ${key} to ${node}` }));
  }

  /** kube-scheduler's handleSchedulingFailure for a plugin error: condition SchedulerError, and an Event. */
  private reportPreBindFailure(pod: V1Pod, key: string, err: PreBindError): void {
    this.reported.delete(key);
    this.track(this.apiCalls.run(() => this.options.api.markUnschedulable(pod, { message: err.message, reason: "SchedulerError" })));
    this.track(this.events.record(pod, { type: "Warning", reason: "FailedScheduling", action: "Scheduling", message: err.message }));
  }

  private async handleUnschedulable(entry: PodEntry, diagnosis: Diagnosis): Promise<void> {
    const total = this.cache.nodes.length;
    const preemption = total === 0 ? { message: "" } : findPreemption({ profile: this.options.profile, pod: entry, snapshot: this.cache, diagnosis });
    const message = fitErrorMessage(total, diagnosis, preemption.message);
    const nominated = preemption.candidate?.node;
    if (preemption.candidate) {
      const node = preemption.candidate.node;
      this.cache.setNominated(entry, node);
      for (const victim of preemption.candidate.victims) {
        this.options.logger?.info(`preempting ${victim.key} on ${node} for ${entry.key}`);
        await this.options.api.event(victim.pod, { type: "Normal", reason: "Preempted", action: "Preempting", message: `Preempted by pod ${entry.pod.metadata?.uid ?? entry.key} on node ${node}` });
        await this.options.api.evict(victim.pod).catch((err: unknown) => this.options.logger?.warn(`evicting ${victim.key}: ${String(err)}`));
      }
    }
    const signature = `${message}\u0000${nominated ?? ""}`;
    if (this.reported.get(entry.key) === signature) return;
    this.reported.set(entry.key, signature);
    await this.options.api.markUnschedulable(entry.pod, { message, nominatedNodeName: nominated });
    await this.options.api.event(entry.pod, { type: "Warning", reason: "FailedScheduling", action: "Scheduling", message });
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => this.options.logger?.warn(String(err)));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }
}

function assignedPodChanged(before: PodEntry, after: PodEntry): boolean {
  const r = (e: PodEntry) => `${e.requests.milliCPU}/${e.requests.memory}`;
  return r(before) !== r(after) || JSON.stringify(before.labels) !== JSON.stringify(after.labels);
}

function schedulingInputsChanged(before: V1Pod, after: V1Pod): boolean {
  const inputs = (p: V1Pod) => JSON.stringify([p.metadata?.labels, p.spec, p.status?.nominatedNodeName]);
  return inputs(before) !== inputs(after);
}
