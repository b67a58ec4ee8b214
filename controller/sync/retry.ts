// When an operation gives up: a sync timeout (an attempt that cannot finish, e.g. a resource
// that never becomes healthy, ends Failed instead of Running forever) and Argo CD's retry
// strategy (a failed attempt starts again after duration × factor^n, at most maxDuration,
// `limit` times; a negative limit retries without end). Pure, on times from the status.
import type { OperationState, RetryStrategy } from "../application/types.js";

/** Default sync timeout of the controller (per attempt). */
export const DEFAULT_SYNC_TIMEOUT_MS = 10 * 60_000;

export function retryDelayMs(strategy: RetryStrategy, retriesSoFar: number): number {
  const { durationMs, factor, maxDurationMs } = strategy.backoff;
  const delay = durationMs * factor ** retriesSoFar;
  return Math.min(Number.isFinite(delay) ? delay : maxDurationMs, maxDurationMs);
}

export function mayRetry(op: Pick<OperationState, "retry" | "retryCount">): boolean {
  const limit = op.retry?.limit ?? 0;
  return limit < 0 || (op.retryCount ?? 0) < limit;
}

export function attemptStart(op: Pick<OperationState, "attemptStartedAt" | "startedAt">): number {
  return Date.parse(op.attemptStartedAt ?? op.startedAt);
}

/** Milliseconds left before a retry may start (0: go). */
export function retryWaitMs(op: Pick<OperationState, "nextAttemptAt">, now: number): number {
  return op.nextAttemptAt ? Math.max(0, Date.parse(op.nextAttemptAt) - now) : 0;
}

/** Whether the current attempt ran out of time (timeoutMs 0: never). */
export function attemptTimedOut(op: Pick<OperationState, "attemptStartedAt" | "startedAt">, now: number, timeoutMs: number): boolean {
  return timeoutMs > 0 && now - attemptStart(op) >= timeoutMs;
}

/** "10m", "90s", "1m30s": how a timeout reads in a message. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m === 0) return `${s}s`;
  return rest === 0 ? `${m}m` : `${m}m${rest}s`;
}
