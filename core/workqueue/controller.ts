// The controller loop (model: controller-runtime pkg/internal/controller/controller.go):
// workers take keys from a rate-limited queue and call reconcile. The outcome decides what the
// queue does next, so reconcilers never sleep or loop:
//   returns {}                 -> forget the key's backoff; done until something adds it again
//   returns { requeueAfter }   -> forget backoff, add again after that many ms
//   returns { requeue: true }  -> add again with backoff (polling without an error)
//   throws TerminalError       -> forget; reported, not retried
//   throws anything else       -> add again with per-key exponential backoff
import { realClock, type Clock } from "../clock.js";
import { RateLimitingWorkQueue, type RateLimitingQueue } from "./rateLimitingQueue.js";
import { isTerminalError } from "./terminal.js";

export interface ReconcileResult {
  /** Reconcile this key again after so many ms (level-triggered polling). */
  requeueAfter?: number;
  /** Reconcile again after the rate limiter's backoff. */
  requeue?: boolean;
}

export type Reconciler = (key: string) => Promise<ReconcileResult | void>;

export interface ReconcileFailure {
  key: string;
  error: unknown;
  /** True when the error was a TerminalError and the key was dropped. */
  terminal: boolean;
  /** Failures in a row for this key, this one included. */
  retries: number;
}

export interface ControllerOptions {
  reconcile: Reconciler;
  /** The queue to drain; default: a new RateLimitingWorkQueue on `clock`. */
  queue?: RateLimitingQueue;
  /** Clock for the default queue (default: the real clock). */
  clock?: Clock;
  /** Keys reconciled at once, never the same key twice (default 1). */
  workers?: number;
  /** Called for every failed reconcile, e.g. to log it. */
  onError?: (failure: ReconcileFailure) => void;
}

export interface RunningController {
  queue: RateLimitingQueue;
  /** Shuts the queue down and resolves once every worker finished its current key. */
  stop(): Promise<void>;
}

export function runController(options: ControllerOptions): RunningController {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`runController: workers must be a positive integer, got ${workers}`);
  }
  const queue = options.queue ?? new RateLimitingWorkQueue({ clock: options.clock ?? realClock });
  const loops: Promise<void>[] = [];
  for (let i = 0; i < workers; i++) loops.push(workerLoop(queue, options));
  return {
    queue,
    async stop() {
      queue.shutDown();
      await Promise.all(loops);
    },
  };
}

async function workerLoop(queue: RateLimitingQueue, options: ControllerOptions): Promise<void> {
  for (;;) {
    const key = await queue.get();
    if (key === undefined) return;
    try {
      await processKey(queue, key, options);
    } finally {
      queue.done(key);
    }
  }
}

async function processKey(queue: RateLimitingQueue, key: string, options: ControllerOptions): Promise<void> {
  let result: ReconcileResult | void;
  try {
    result = await options.reconcile(key);
  } catch (error) {
    const terminal = isTerminalError(error);
    if (terminal) queue.forget(key);
    else queue.addRateLimited(key);
    const retries = terminal ? 0 : queue.numRequeues(key);
    options.onError?.({ key, error, terminal, retries });
    return;
  }
  if (result?.requeueAfter !== undefined && result.requeueAfter > 0) {
    queue.forget(key);
    queue.addAfter(key, result.requeueAfter);
  } else if (result?.requeue) {
    queue.addRateLimited(key);
  } else {
    queue.forget(key);
  }
}
