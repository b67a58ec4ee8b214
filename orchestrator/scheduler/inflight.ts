// A bound on the API calls the scheduler runs in the background. Decisions take about a
// millisecond, an API round trip several, so without a bound a burst of pending pods started
// thousands of bindings at once: the API server's accept queue overflowed, bindings failed
// with connection resets and timeouts, and everything else waited behind their retries.
// kube-scheduler is bounded the same way by its client's QPS limit.
export class InFlightLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`InFlightLimit: max must be a positive integer, got ${max}`);
  }

  /** Runs work once fewer than max others are running; a finished one hands its slot on. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.max) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
