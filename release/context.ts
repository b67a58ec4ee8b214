// What every action is given: where records live, the cluster, and the clock.
import type { Clock } from "../core/clock.js";
import { Deploy, type DeployOptions } from "./deploy.js";
import { messageOf } from "./errors.js";
import type { Release } from "./model.js";
import { runSteps } from "./stepMachine.js";
import { DEFAULT_HISTORY_MAX, pruneHistory, type ReleaseStorage } from "./storage/index.js";
import type { ObjectRef, ReleaseTarget } from "./target.js";

export interface ActionContext {
  storage: ReleaseStorage;
  target: ReleaseTarget;
  clock: Clock;
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export type DeployResult = { ok: true; release: Release } | { ok: false; release: Release; error: unknown; created: ObjectRef[] };

/**
 * Runs the deploy machine to its end and records the outcome: deployed (older deployed
 * revisions superseded, history pruned) or failed with the reason. Never throws for a failed
 * step: the caller decides what a failure means (--atomic).
 */
export async function deployAndRecord(
  ctx: ActionContext,
  options: Omit<DeployOptions, "storage" | "target" | "clock"> & { done: string; historyMax?: number },
): Promise<DeployResult> {
  const deploy = new Deploy({ ...options, storage: ctx.storage, target: ctx.target, clock: ctx.clock });
  try {
    await runSteps(deploy);
  } catch (error) {
    const failed = await deploy.save({ status: "failed", description: `${capital(options.operation)} "${options.release.name}" failed: ${messageOf(error)}`, lock: undefined });
    return { ok: false, release: failed, error, created: deploy.created };
  }
  const deployed = await deploy.save({ status: "deployed", description: options.done, lock: undefined });
  await supersedeOthers(ctx, deployed);
  await pruneHistory(ctx.storage, deployed, options.historyMax ?? DEFAULT_HISTORY_MAX);
  return { ok: true, release: deployed };
}

/** Every other deployed revision becomes superseded (Helm keeps one deployed revision). */
export async function supersedeOthers(ctx: ActionContext, current: Release): Promise<void> {
  for (const r of await ctx.storage.history(current)) {
    if (r.version !== current.version && r.info.status === "deployed") {
      await ctx.storage.update({ ...r, info: { ...r.info, status: "superseded" } });
    }
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
