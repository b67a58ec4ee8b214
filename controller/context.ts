// What a reconcile needs, built once by the manager.
import type { Clock } from "../core/clock.js";
import type { KubeClient } from "../kube/client/index.js";
import type { GitSource } from "./git/types.js";
import type { EventRecorder } from "./events.js";
import type { LiveIndex } from "./liveIndex.js";
import type { ControllerMetrics } from "./metrics.js";
import type { RenderCache } from "./source/cache.js";

export interface ControllerContext {
  client: KubeClient;
  git: GitSource;
  renders: RenderCache;
  live: LiveIndex;
  clock: Clock;
  events: EventRecorder;
  metrics: ControllerMetrics;
  /** Minimum time between two self-heal syncs of one app (default 2 s): no fights with another writer. */
  selfHealBackoffMs: number;
  /** An attempt of a sync that has not finished after this long fails (0: never). */
  syncTimeoutMs: number;
  log: (message: string) => void;
}

export function isoNow(ctx: { clock: Clock }): string {
  return new Date(ctx.clock.now()).toISOString();
}
