// Runs a release's hooks for one event (model: Helm's action/hooks.go): in weight order, each
// created, waited to completion (Jobs and Pods; other kinds once created) and deleted by its
// policies. The hook's last run is written into the record by the caller.
import type { HookEvent } from "../charts/manifest/index.js";
import type { Clock } from "../core/clock.js";
import { ReleaseError } from "./errors.js";
import { hookObject, hookRef } from "./manifest.js";
import type { Release, ReleaseHook } from "./model.js";
import { refText, type ReleaseTarget } from "./target.js";

export interface HookRunOptions {
  target: ReleaseTarget;
  clock: Clock;
  timeoutMs: number;
  /** Called after each hook finishes, with its outcome recorded. */
  onHook?: (hook: ReleaseHook) => void;
}

export function hooksFor(release: Release, event: HookEvent): ReleaseHook[] {
  // Stored hooks are already sorted by weight, then name (sortHooks).
  return release.hooks.filter((h) => h.events.includes(event));
}

/** Runs every hook of `event`; returns the hooks with lastRun set. Throws on the first failure. */
export async function runHooks(release: Release, event: HookEvent, options: HookRunOptions): Promise<void> {
  for (const hook of hooksFor(release, event)) {
    await runHook(release, hook, event, options);
  }
}

async function runHook(release: Release, hook: ReleaseHook, event: HookEvent, options: HookRunOptions): Promise<void> {
  const { target, clock } = options;
  const namespace = release.namespace;
  const ref = hookRef(hook);
  // Helm's default policy when none is given is before-hook-creation.
  const policies = hook.deletePolicies.length > 0 ? hook.deletePolicies : ["before-hook-creation"];
  if (policies.includes("before-hook-creation")) await target.delete([ref], { namespace });
  hook.lastRun = { phase: "Running", startedAt: new Date(clock.now()).toISOString() };
  await target.apply([hookObject(hook)], { namespace });
  const outcome = await target.waitHook(ref, { namespace, timeoutMs: options.timeoutMs });
  hook.lastRun = {
    ...hook.lastRun,
    phase: outcome.phase,
    completedAt: new Date(clock.now()).toISOString(),
    ...(outcome.phase === "Failed" ? { message: outcome.message } : {}),
  };
  options.onHook?.(hook);
  const doomed = outcome.phase === "Succeeded" ? policies.includes("hook-succeeded") : policies.includes("hook-failed");
  if (doomed) await target.delete([ref], { namespace });
  if (outcome.phase === "Failed") {
    throw new ReleaseError(`release ${release.name}: ${event} hook ${refText(ref)} failed: ${outcome.message}`);
  }
}
