// Closed-loop load for the API benchmarks: `concurrency` workers each issue one request at a
// time until `limit` requests are done or `maxMs` has passed, recording each latency.
import { performance } from "node:perf_hooks";

export interface Phase {
  name: string;
  count: number;
  seconds: number;
  latencies: number[];
}

export interface PhaseOptions {
  concurrency: number;
  maxMs: number;
  /** Stop after this many requests (default: only the time limit). */
  limit?: number;
}

/** `op(i)` returns the HTTP status; anything from 300 up ends the benchmark with an error. */
export async function runPhase(name: string, options: PhaseOptions, op: (i: number) => Promise<number>): Promise<Phase> {
  const latencies: number[] = [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const start = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < limit && performance.now() - start < options.maxMs) {
      const i = next++;
      const t0 = performance.now();
      const code = await op(i);
      if (code >= 300) throw new Error(`${name} #${i}: HTTP ${code}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { name, count: latencies.length, seconds: (performance.now() - start) / 1000, latencies };
}
