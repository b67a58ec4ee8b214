// How long a key waits before its next try (model: client-go default_rate_limiters.go).
// Per-key exponential backoff answers "this item keeps failing"; the token bucket answers
// "everything is failing at once" so a broken dependency is not hammered by every key.
import type { Clock } from "../clock.js";

export interface RateLimiter {
  /** Delay in ms before key's next try; counts a failure for key. */
  when(key: string): number;
  /** Clears key's failure history (after a success). */
  forget(key: string): void;
  /** Failures counted for key since the last forget. */
  numRequeues(key: string): number;
}

export interface ExponentialOptions {
  /** First delay in ms (default 5, like client-go). */
  baseDelayMs?: number;
  /** Upper bound in ms (default 1,000,000 = 1000 s, like client-go). */
  maxDelayMs?: number;
}

/** base * 2^failures, capped at max. */
export class ItemExponentialRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: ExponentialOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
    if (!(this.baseDelayMs > 0) || !(this.maxDelayMs >= this.baseDelayMs)) {
      throw new RangeError(`backoff: need 0 < baseDelayMs <= maxDelayMs, got ${this.baseDelayMs} and ${this.maxDelayMs}`);
    }
  }

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity long after the cap; Math.min keeps that harmless.
    return Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

export interface BucketOptions {
  clock: Clock;
  /** Tokens added per second (default 10, like client-go). */
  qps?: number;
  /** Bucket size (default 100, like client-go). */
  burst?: number;
}

/** An overall token bucket: each when() reserves a token and waits until it exists. */
export class BucketRateLimiter implements RateLimiter {
  private readonly clock: Clock;
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;

  constructor(options: BucketOptions) {
    this.clock = options.clock;
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    if (!(this.qps > 0) || !(this.burst >= 1)) {
      throw new RangeError(`token bucket: need qps > 0 and burst >= 1, got ${this.qps} and ${this.burst}`);
    }
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  when(_key: string): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    // A negative balance is a reservation: the token this caller took arrives after the delay.
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(_key: string): void {}

  numRequeues(_key: string): number {
    return 0;
  }
}

/** The longest delay any of the limiters asks for. */
export class MaxOfRateLimiter implements RateLimiter {
  constructor(private readonly limiters: RateLimiter[]) {}

  when(key: string): number {
    let delay = 0;
    for (const l of this.limiters) delay = Math.max(delay, l.when(key));
    return delay;
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: string): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.numRequeues(key));
    return n;
  }
}

export interface DefaultRateLimiterOptions extends ExponentialOptions, BucketOptions {}

/** client-go's DefaultControllerRateLimiter: per-key 5 ms..1000 s, overall 10 qps burst 100. */
export function defaultControllerRateLimiter(options: DefaultRateLimiterOptions): RateLimiter {
  return new MaxOfRateLimiter([new ItemExponentialRateLimiter(options), new BucketRateLimiter(options)]);
}
