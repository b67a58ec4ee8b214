// The annotations that steer a simulated pod, and Go-style durations ("500ms", "2s", "1m30s")
// they use. A pod-level annotation applies to the app containers; the same key suffixed with
// ".<container>" applies to one container (init containers included) and wins.
//
//   berth.dev/sim-duration       how long a container runs before it exits (default: forever
//                                under restartPolicy Always, 1s otherwise; init containers 0s)
//   berth.dev/sim-exit-code      the exit code when it does exit (default 0)
//   berth.dev/sim-crash          "true": exit with code 1 (or sim-exit-code) after sim-duration
//                                (default 1s), every time, so restartPolicy makes it crash-loop
//   berth.dev/sim-never-ready    "true": running but never Ready
//   berth.dev/sim-start-delay    ContainerCreating time before containers start (default 200ms)
//   berth.dev/sim-stop-duration  how long containers take to stop after SIGTERM (default 0s;
//                                past the grace period they are killed with exit code 137)
//
// On a Node (simulated), not a pod:
//   berth.dev/sim-kubelet-stopped  "true": its kubelet goes silent, as if the machine died: no
//                                Lease renewals or status, its pods frozen as last reported
//                                (the node lifecycle controller then marks it Unknown, taints
//                                it and evicts). Removing the annotation brings it back.
import type { Pod } from "./types.js";

export const SIM_PREFIX = "berth.dev/";
export const SIM_DURATION = "berth.dev/sim-duration";
export const SIM_EXIT_CODE = "berth.dev/sim-exit-code";
export const SIM_CRASH = "berth.dev/sim-crash";
export const SIM_NEVER_READY = "berth.dev/sim-never-ready";
export const SIM_START_DELAY = "berth.dev/sim-start-delay";
export const SIM_STOP_DURATION = "berth.dev/sim-stop-duration";
export const SIM_KUBELET_STOPPED = "berth.dev/sim-kubelet-stopped";

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("1h2m3.5s", "500ms") in milliseconds; undefined when malformed or negative. */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < trimmed.length) {
    part.lastIndex = index;
    const match = part.exec(trimmed);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
    index = part.lastIndex;
  }
  return index === 0 ? undefined : total;
}

/** The annotation for one container, else for the pod (app containers only). */
function annotation(pod: Pod, key: string, container: { name: string; init: boolean }): string | undefined {
  const annotations = pod.metadata?.annotations ?? {};
  const own = annotations[`${key}.${container.name}`];
  if (own !== undefined) return own;
  return container.init ? undefined : annotations[key];
}

export function simDuration(pod: Pod, container: { name: string; init: boolean }): number | undefined {
  const text = annotation(pod, SIM_DURATION, container);
  return text === undefined ? undefined : parseGoDuration(text);
}

export function simExitCode(pod: Pod, container: { name: string; init: boolean }): number | undefined {
  const text = annotation(pod, SIM_EXIT_CODE, container);
  if (text === undefined || !/^\d{1,3}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

export function simFlag(pod: Pod, key: string, container: { name: string; init: boolean }): boolean {
  return annotation(pod, key, container)?.trim() === "true";
}

/** A pod-wide duration annotation, or the default when absent or malformed. */
export function podDuration(pod: Pod, key: string, fallbackMs: number): number {
  const text = pod.metadata?.annotations?.[key];
  return (text === undefined ? undefined : parseGoDuration(text)) ?? fallbackMs;
}
