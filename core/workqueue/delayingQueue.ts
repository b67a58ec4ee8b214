// A work queue whose keys can be added later (model: client-go delaying_queue.go). Time comes
// from the injected Clock so tests advance a FakeClock instead of sleeping. A key waiting for
// its delay keeps only its earliest due time: a later addAfter never postpones work.
import type { Clock } from "../clock.js";
import { WorkQueue, type Queue } from "./queue.js";

export interface DelayingQueue extends Queue {
  /** Adds key once ms have passed on the clock; ms <= 0 adds it now. */
  addAfter(key: string, ms: number): void;
  /** Keys waiting for their delay. */
  delayed(): number;
}

export interface DelayingQueueOptions {
  clock: Clock;
}

export class DelayingWorkQueue extends WorkQueue implements DelayingQueue {
  protected readonly clock: Clock;
  private readonly waiting = new Map<string, { due: number; cancel: () => void }>();

  constructor(options: DelayingQueueOptions) {
    super();
    this.clock = options.clock;
  }

  addAfter(key: string, ms: number): void {
    if (this.isShuttingDown()) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const due = this.clock.now() + ms;
    const existing = this.waiting.get(key);
    if (existing && existing.due <= due) return;
    existing?.cancel();
    const cancel = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { due, cancel });
  }

  delayed(): number {
    return this.waiting.size;
  }

  override shutDown(): void {
    for (const { cancel } of this.waiting.values()) cancel();
    this.waiting.clear();
    super.shutDown();
  }
}
