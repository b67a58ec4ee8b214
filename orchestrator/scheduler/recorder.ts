// The scheduler's Events, written in the background under their own bound so an Event never
// holds one of the binding slots: with 10,000 pods pending, "Scheduled" Events had doubled the
// writes each binding waited for. kube-scheduler's event broadcaster is asynchronous the same
// way and drops events when its queue is full rather than slow scheduling down.
import type { V1Pod } from "@kubernetes/client-node";
import type { EventSpec } from "./api.js";
import { InFlightLimit } from "./inflight.js";

export interface EventRecorderOptions {
  write(pod: V1Pod, spec: EventSpec): Promise<void>;
  /** Writes at once (default 8). */
  inFlight?: number;
  /** Events waiting beyond this many are dropped (default 1,000, client-go's queue length). */
  maxQueued?: number;
  onDropped?(pod: V1Pod, spec: EventSpec): void;
}

export class EventRecorder {
  private readonly limit: InFlightLimit;
  private queued = 0;

  constructor(private readonly options: EventRecorderOptions) {
    this.limit = new InFlightLimit(options.inFlight ?? 8);
  }

  /** Resolves once written, failed or dropped; never rejects for a dropped event. */
  record(pod: V1Pod, spec: EventSpec): Promise<void> {
    if (this.queued >= (this.options.maxQueued ?? 1_000)) {
      this.options.onDropped?.(pod, spec);
      return Promise.resolve();
    }
    this.queued++;
    return this.limit.run(() => {
      this.queued--;
      return this.options.write(pod, spec);
    });
  }
}
