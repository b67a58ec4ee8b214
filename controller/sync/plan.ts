// The order of a sync (Argo CD's model): PreSync hooks, then the resources and Sync hooks,
// then PostSync hooks; inside each phase, waves in ascending order. Each step waits for the
// one before it to be healthy (hooks: complete). SyncFail hooks run only when a sync fails.
// Pure, so the step machine can recompute the plan from the commit after a restart.
import type { HookType } from "../application/types.js";
import type { DesiredResource } from "../source/resource.js";

export type SyncPhase = "PreSync" | "Sync" | "PostSync";

export interface SyncStep {
  phase: SyncPhase;
  wave: number;
  resources: DesiredResource[];
}

const PHASES: readonly SyncPhase[] = ["PreSync", "Sync", "PostSync"];

/** The phase a resource runs in; undefined for SyncFail-only hooks. */
export function phaseOf(resource: DesiredResource): SyncPhase | undefined {
  if (!resource.hook) return "Sync";
  const types = resource.hook.types;
  return PHASES.find((p) => types.includes(p));
}

export function planSteps(resources: readonly DesiredResource[]): SyncStep[] {
  const byStep = new Map<string, SyncStep>();
  for (const r of resources) {
    const phase = phaseOf(r);
    if (!phase) continue;
    const key = `${phase}\0${r.wave}`;
    const step = byStep.get(key) ?? { phase, wave: r.wave, resources: [] };
    step.resources.push(r);
    byStep.set(key, step);
  }
  return [...byStep.values()].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || a.wave - b.wave);
}

export function hooksOfType(resources: readonly DesiredResource[], type: HookType): DesiredResource[] {
  return resources.filter((r) => r.hook?.types.includes(type)).sort((a, b) => a.wave - b.wave);
}

/** Resources that describe the app's steady state (not hooks): what compare and prune look at. */
export function steadyResources(resources: readonly DesiredResource[]): DesiredResource[] {
  return resources.filter((r) => !r.hook);
}
