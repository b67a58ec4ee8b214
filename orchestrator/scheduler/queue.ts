// The scheduling queue (kube-scheduler's PriorityQueue): an active heap ordered by priority,
// then age; a backoff pool for pods that failed recently (1 s doubling to 10 s per attempt);
// and an unschedulable pool whose pods wait for a cluster event that may help them, or at
// most `unschedulableTimeoutMs`. Periodic flushes run on the injected Clock.
import type { Clock } from "../../core/clock.js";
import { mayHelp, type ClusterEvent } from "./events.js";
import { Heap } from "./heap.js";
import type { PodEntry } from "./types.js";

export interface QueuedPod {
  entry: PodEntry;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Creation time (ms), the age part of the order. */
  created: number;
  /** Plugins that rejected the pod last time. */
  rejectedBy: Set<string>;
  /** When the pod last failed (ms). */
  failedAt: number;
}

export interface SchedulingQueueOptions {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest stay in the unschedulable pool without an event (default 5 min). */
  unschedulableTimeoutMs?: number;
  /** Period of the backoff flush (default 1 s). */
  flushIntervalMs?: number;
}

/** Higher priority first, then older, then by key so the order is total. */
export function comesBefore(a: QueuedPod, b: QueuedPod): boolean {
  if (a.entry.priority !== b.entry.priority) return a.entry.priority > b.entry.priority;
  if (a.created !== b.created) return a.created < b.created;
  return a.entry.key < b.entry.key;
}

export class SchedulingQueue {
  private readonly active = new Heap<QueuedPod>(comesBefore);
  /** Every queued pod by key and where it is; the heap may hold stale copies (lazy delete). */
  private readonly where = new Map<string, { pod: QueuedPod; pool: "active" | "backoff" | "unschedulable" }>();
  private readonly inFlight = new Set<string>();
  private moveCycle = 0;
  private readonly poppedAtCycle = new Map<string, number>();
  private waiter: ((pod: QueuedPod | undefined) => void) | undefined;
  private closed = false;
  private cancelFlush: () => void = () => {};
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly unschedulableTimeoutMs: number;
  private readonly flushIntervalMs: number;

  constructor(options: SchedulingQueueOptions) {
    this.clock = options.clock;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.unschedulableTimeoutMs = options.unschedulableTimeoutMs ?? 5 * 60_000;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.scheduleFlush();
  }

  /** A new or changed pending pod. A change sends a waiting pod back to the active heap. */
  add(entry: PodEntry): void {
    if (this.closed) return;
    const known = this.where.get(entry.key);
    if (this.inFlight.has(entry.key) && !known) {
      // Being scheduled right now: the cycle's outcome decides; remember the newer object.
      this.poppedAtCycle.set(entry.key, -1);
      return;
    }
    const created = Date.parse(entry.pod.metadata?.creationTimestamp?.toString() ?? "") || this.clock.now();
    const pod: QueuedPod = known ? { ...known.pod, entry } : { entry, attempts: 0, created, rejectedBy: new Set(), failedAt: 0 };
    if (known?.pool === "backoff" && this.backoffUntil(pod) > this.clock.now()) {
      this.where.set(entry.key, { pod, pool: "backoff" });
      return;
    }
    this.toActive(pod);
  }

  delete(key: string): void {
    this.where.delete(key);
  }

  has(key: string): boolean {
    return this.where.has(key);
  }

  /** Pods waiting in each pool (for tests and logs). */
  counts(): { active: number; backoff: number; unschedulable: number } {
    const out = { active: 0, backoff: 0, unschedulable: 0 };
    for (const { pool } of this.where.values()) out[pool]++;
    return out;
  }

  /** The next pod to schedule; waits for one; undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const next = this.takeActive();
    if (next || this.closed) return Promise.resolve(next);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private takeActive(): QueuedPod | undefined {
    for (;;) {
      const pod = this.active.pop();
      if (!pod) return undefined;
      const current = this.where.get(pod.entry.key);
      if (!current || current.pod !== pod || current.pool !== "active") continue;
      this.where.delete(pod.entry.key);
      this.inFlight.add(pod.entry.key);
      this.poppedAtCycle.set(pod.entry.key, this.moveCycle);
      pod.attempts++;
      return pod;
    }
  }

  /** The cycle for a popped pod ended (scheduled, or re-queued through requeueUnschedulable). */
  done(key: string): void {
    this.inFlight.delete(key);
    this.poppedAtCycle.delete(key);
  }

  /**
   * A popped pod did not fit. If a helpful event arrived while it was being scheduled, it
   * retries after backoff; otherwise it waits in the unschedulable pool.
   */
  requeueUnschedulable(pod: QueuedPod, rejectedBy: Set<string>): void {
    const poppedAt = this.poppedAtCycle.get(pod.entry.key) ?? 0;
    this.done(pod.entry.key);
    if (this.closed || this.where.has(pod.entry.key)) return;
    const failed: QueuedPod = { ...pod, rejectedBy, failedAt: this.clock.now() };
    const eventSincePop = poppedAt < 0 || this.moveCycle > poppedAt;
    this.where.set(pod.entry.key, { pod: failed, pool: eventSincePop ? "backoff" : "unschedulable" });
  }

  /** A cluster change: move the pods it may help out of the unschedulable pool. */
  onEvent(event: ClusterEvent): void {
    this.moveCycle++;
    for (const [key, { pod, pool }] of this.where) {
      if (pool !== "unschedulable" || !mayHelp(event, pod.rejectedBy)) continue;
      if (this.backoffUntil(pod) > this.clock.now()) this.where.set(key, { pod, pool: "backoff" });
      else this.toActive(pod);
    }
  }

  /** Backoff pods whose time is up go active; pods stuck unschedulable too long as well. */
  flush(): void {
    const now = this.clock.now();
    for (const { pod, pool } of [...this.where.values()]) {
      if (pool === "backoff" && this.backoffUntil(pod) <= now) this.toActive(pod);
      if (pool === "unschedulable" && now - pod.failedAt >= this.unschedulableTimeoutMs) this.toActive(pod);
    }
  }

  close(): void {
    this.closed = true;
    this.cancelFlush();
    this.waiter?.(undefined);
    this.waiter = undefined;
  }

  private backoffUntil(pod: QueuedPod): number {
    if (pod.attempts === 0) return 0;
    const backoff = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(30, pod.attempts - 1));
    return pod.failedAt + backoff;
  }

  private toActive(pod: QueuedPod): void {
    this.where.set(pod.entry.key, { pod, pool: "active" });
    this.active.push(pod);
    const waiter = this.waiter;
    if (!waiter) return;
    const next = this.takeActive();
    if (!next) return;
    this.waiter = undefined;
    waiter(next);
  }

  private scheduleFlush(): void {
    if (this.closed) return;
    this.cancelFlush = this.clock.setTimeout(() => {
      this.flush();
      this.scheduleFlush();
    }, this.flushIntervalMs);
  }
}
