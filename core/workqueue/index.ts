// Work queues and the controller loop, after client-go util/workqueue and controller-runtime:
//
//   const c = runController({ clock, workers: 2, reconcile: async (key) => ({ requeueAfter: 30_000 }) });
//   informer.on("update", (obj) => c.queue.add(keyOf(obj)));
//   ...
//   await c.stop();
//
// queue.ts: dedupe + one worker per key; delayingQueue.ts: addAfter on the injected Clock;
// rateLimiters.ts: per-key exponential backoff and the overall token bucket;
// rateLimitingQueue.ts: the two together; controller.ts: runController.
export { WorkQueue, type Queue } from "./queue.js";
export { DelayingWorkQueue, type DelayingQueue, type DelayingQueueOptions } from "./delayingQueue.js";
export {
  BucketRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type BucketOptions,
  type DefaultRateLimiterOptions,
  type ExponentialOptions,
  type RateLimiter,
} from "./rateLimiters.js";
export { RateLimitingWorkQueue, type RateLimitingQueue, type RateLimitingQueueOptions } from "./rateLimitingQueue.js";
export {
  runController,
  type ControllerOptions,
  type ReconcileFailure,
  type ReconcileResult,
  type Reconciler,
  type RunningController,
} from "./controller.js";
export { TerminalError, isTerminalError } from "./terminal.js";
