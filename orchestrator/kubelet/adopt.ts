// After a restart the simulated runtime is gone but the pods still report what ran. Like a
// kubelet reading its container runtime, rebuild a PodRuntime from the reported status so
// running containers keep their start times, restart counts and IPs instead of starting over.
import { newPodRuntime, startContainerAt, type PodRuntime } from "./runtime.js";
import type { ContainerStatus, Pod } from "./types.js";

function parseTime(text: string | undefined, fallback: number): number {
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(ms) ? fallback : ms;
}

/** A runtime for a pod the kubelet has no memory of: fresh, or continued from its status. */
export function adoptPodRuntime(pod: Pod, now: number): PodRuntime {
  const rt = newPodRuntime(pod, now);
  const status = pod.status;
  const reported = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
  if (!reported.some((s) => s.state?.running || s.state?.terminated || s.restartCount > 0)) return rt;
  rt.createdAt = parseTime(status?.startTime, now);
  rt.startAt = rt.createdAt;
  rt.sandboxReady = true;
  const byName = new Map<string, ContainerStatus>(reported.map((s) => [s.name, s]));
  for (const c of rt.containers) {
    const s = byName.get(c.name);
    if (!s) continue;
    c.restartCount = s.restartCount;
    const terminated = s.state?.terminated;
    if (s.state?.running) {
      startContainerAt(pod, rt, c, parseTime(s.state.running.startedAt, now));
    } else if (terminated) {
      c.state = "terminated";
      c.terminated = {
        exitCode: terminated.exitCode,
        reason: terminated.reason ?? (terminated.exitCode === 0 ? "Completed" : "Error"),
        startedAt: parseTime(terminated.startedAt, now),
        finishedAt: parseTime(terminated.finishedAt, now),
        containerId: terminated.containerID ?? "",
      };
    } else if (s.restartCount > 0) {
      // In back-off when we stopped: restart it now, as a kubelet restart clears its back-off.
      c.restartAt = now;
      c.waitingReason = "CrashLoopBackOff";
    }
  }
  return rt;
}
