// A delaying queue that asks a RateLimiter how long to wait (model: client-go
// rate_limiting_queue.go). Retry policy lives here, not in reconcilers.
import { DelayingWorkQueue, type DelayingQueue, type DelayingQueueOptions } from "./delayingQueue.js";
import { defaultControllerRateLimiter, type RateLimiter } from "./rateLimiters.js";

export interface RateLimitingQueue extends DelayingQueue {
  /** Adds key after the limiter's delay, counting a failure. */
  addRateLimited(key: string): void;
  /** Ends key's backoff: the next failure starts from the base delay again. */
  forget(key: string): void;
  numRequeues(key: string): number;
}

export interface RateLimitingQueueOptions extends DelayingQueueOptions {
  /** Default: defaultControllerRateLimiter on the same clock. */
  rateLimiter?: RateLimiter;
}

export class RateLimitingWorkQueue extends DelayingWorkQueue implements RateLimitingQueue {
  private readonly limiter: RateLimiter;

  constructor(options: RateLimitingQueueOptions) {
    super(options);
    this.limiter = options.rateLimiter ?? defaultControllerRateLimiter({ clock: options.clock });
  }

  addRateLimited(key: string): void {
    this.addAfter(key, this.limiter.when(key));
  }

  forget(key: string): void {
    this.limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.limiter.numRequeues(key);
  }
}
