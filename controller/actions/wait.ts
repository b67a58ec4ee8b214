// Waiting on an app from outside the controller (`app wait`, `app sync`): polls the
// Application until what was asked holds, reporting progress as it changes.
import { realClock, type Clock } from "../../core/clock.js";
import { BerthError } from "../../core/errors.js";
import type { Application } from "../application/types.js";
import { getApp, type AppTarget } from "./app.js";

export class AppWaitError extends BerthError {
  override readonly code: string = "APP_WAIT";
}

export interface WaitAppOptions extends AppTarget {
  /** Wait for this operation to finish (it must succeed). */
  operationId?: string;
  sync?: boolean;
  health?: boolean;
  timeoutMs: number;
  clock?: Clock;
  pollMs?: number;
  onProgress?: (line: string) => void;
}

export async function waitApp(name: string, options: WaitAppOptions): Promise<Application> {
  const clock = options.clock ?? realClock;
  const deadline = clock.now() + options.timeoutMs;
  let last = "";
  for (;;) {
    const app = await getApp(options, name);
    const verdict = check(app, options);
    if (verdict.progress !== last) {
      options.onProgress?.(verdict.progress);
      last = verdict.progress;
    }
    if (verdict.failed) throw new AppWaitError(`application ${name}: ${verdict.failed}`);
    if (verdict.done) return app;
    if (clock.now() >= deadline) throw new AppWaitError(`application ${name}: timed out after ${options.timeoutMs} ms: ${verdict.progress}`);
    await new Promise<void>((resolve) => clock.setTimeout(resolve, options.pollMs ?? 300));
  }
}

function check(app: Application, options: WaitAppOptions): { done: boolean; failed?: string; progress: string } {
  const op = app.status.operationState;
  const progress = `sync ${app.status.sync.status}, health ${app.status.health.status}${op ? `, operation ${op.phase}: ${op.message}` : ""}`;
  if (options.operationId) {
    // The request is still pending until the controller takes it over.
    if (!op || op.id !== options.operationId) return { done: false, progress: "waiting for the controller to start the sync" };
    if (op.phase === "Failed" || op.phase === "Error") return { done: false, failed: `sync failed: ${op.message}`, progress };
    if (op.phase === "Running") return { done: false, progress };
  }
  const comparisonError = app.status.conditions.find((c) => c.type === "ComparisonError");
  if (options.sync && comparisonError) return { done: false, progress: `${progress}; ${comparisonError.message}` };
  if (options.sync && app.status.sync.status !== "Synced") return { done: false, progress };
  if (options.health && app.status.health.status !== "Healthy") return { done: false, progress };
  return { done: true, progress };
}
