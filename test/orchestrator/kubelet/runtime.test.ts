// The simulated pod lifecycle as a step machine: advance a runtime to given instants and read
// the status a kubelet would report. Time is a number here, as the kubelet's Clock gives it.
import { describe, expect, it } from "vitest";
import { advancePod, beginTermination, isStopped, newPodRuntime, type PodRuntime } from "../../../orchestrator/kubelet/runtime.js";
import { renderPodStatus } from "../../../orchestrator/kubelet/status.js";
import type { Container, Pod } from "../../../orchestrator/kubelet/types.js";

function pod(options: { annotations?: Record<string, string>; restartPolicy?: string; containers?: Container[]; init?: Container[]; grace?: number } = {}): Pod {
  return {
    metadata: { name: "p", namespace: "default", uid: "0000-1111", annotations: { "berth.dev/sim-start-delay": "500ms", ...options.annotations } },
    spec: {
      containers: options.containers ?? [{ name: "app", image: "nginx:1.27" }],
      initContainers: options.init,
      restartPolicy: options.restartPolicy,
      nodeName: "berth-node-1",
      terminationGracePeriodSeconds: options.grace,
    },
  };
}

function statusAt(p: Pod, rt: PodRuntime, now: number) {
  advancePod(p, rt, now);
  return renderPodStatus(p, rt, { hostIP: "172.18.0.2", podIP: "10.244.1.2", now });
}

const condition = (s: ReturnType<typeof statusAt>, type: string) => s.conditions?.find((c) => c.type === type)?.status;

describe("pod lifecycle", () => {
  it("goes Pending (ContainerCreating) → Running → Ready after the readiness delay", () => {
    const p = pod({ containers: [{ name: "app", image: "nginx", readinessProbe: { initialDelaySeconds: 5 } }] });
    const rt = newPodRuntime(p, 0);
    const pending = statusAt(p, rt, 0);
    expect(pending.phase).toBe("Pending");
    expect(pending.containerStatuses?.[0].state?.waiting?.reason).toBe("ContainerCreating");
    expect(advancePod(p, rt, 0)).toBe(500);
    const running = statusAt(p, rt, 500);
    expect(running).toMatchObject({ phase: "Running", podIP: "10.244.1.2", hostIP: "172.18.0.2" });
    expect(running.containerStatuses?.[0]).toMatchObject({ ready: false, started: true, restartCount: 0, containerID: expect.stringMatching(/^berth:\/\//), imageID: expect.stringContaining("docker.io/library/nginx@sha256:") });
    expect(condition(running, "Ready")).toBe("False");
    expect(advancePod(p, rt, 500)).toBe(5500);
    const ready = statusAt(p, rt, 5500);
    expect(condition(ready, "Ready")).toBe("True");
    expect(condition(ready, "ContainersReady")).toBe("True");
    expect(ready.containerStatuses?.[0].ready).toBe(true);
    expect(advancePod(p, rt, 5500)).toBeUndefined();
  });

  it("is ready at start without a probe, never with sim-never-ready", () => {
    const p = pod();
    const rt = newPodRuntime(p, 0);
    expect(condition(statusAt(p, rt, 500), "Ready")).toBe("True");
    const never = pod({ annotations: { "berth.dev/sim-never-ready": "true" } });
    const rt2 = newPodRuntime(never, 0);
    expect(statusAt(never, rt2, 500).phase).toBe("Running");
    expect(condition(statusAt(never, rt2, 3_600_000), "Ready")).toBe("False");
  });

  it("runs init containers one at a time before the app containers", () => {
    const p = pod({ init: [{ name: "a", image: "busybox" }, { name: "b", image: "busybox" }], annotations: { "berth.dev/sim-duration.a": "1s", "berth.dev/sim-duration.b": "2s" } });
    const rt = newPodRuntime(p, 0);
    const s1 = statusAt(p, rt, 600);
    expect(s1.initContainerStatuses?.map((c) => Object.keys(c.state ?? {})[0])).toEqual(["running", "waiting"]);
    expect(s1.containerStatuses?.[0].state?.waiting?.reason).toBe("PodInitializing");
    expect(condition(s1, "Initialized")).toBe("False");
    const s2 = statusAt(p, rt, 2000);
    expect(s2.initContainerStatuses?.map((c) => Object.keys(c.state ?? {})[0])).toEqual(["terminated", "running"]);
    const s3 = statusAt(p, rt, 3500);
    expect(s3.phase).toBe("Running");
    expect(condition(s3, "Initialized")).toBe("True");
    expect(s3.initContainerStatuses?.[1].state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
  });

  it("completes a job pod after sim-duration (default 1s) with Succeeded", () => {
    const p = pod({ restartPolicy: "Never" });
    const rt = newPodRuntime(p, 0);
    expect(statusAt(p, rt, 1499).phase).toBe("Running");
    const done = statusAt(p, rt, 1500);
    expect(done.phase).toBe("Succeeded");
    expect(done.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(done.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "PodCompleted" });
    expect(advancePod(p, rt, 1500)).toBeUndefined();
    const timed = pod({ restartPolicy: "OnFailure", annotations: { "berth.dev/sim-duration": "2s" } });
    const rt2 = newPodRuntime(timed, 0);
    expect(statusAt(timed, rt2, 2499).phase).toBe("Running");
    expect(statusAt(timed, rt2, 2500).phase).toBe("Succeeded");
  });

  it("fails a pod whose container exits non-zero under restartPolicy Never", () => {
    const p = pod({ restartPolicy: "Never", annotations: { "berth.dev/sim-exit-code": "3" } });
    const rt = newPodRuntime(p, 0);
    const failed = statusAt(p, rt, 10_000);
    expect(failed.phase).toBe("Failed");
    expect(failed.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(failed.containerStatuses?.[0].restartCount).toBe(0);
  });

  it("crash-loops with backoff doubling from 10 s to 5 min", () => {
    const p = pod({ annotations: { "berth.dev/sim-crash": "true" } });
    const rt = newPodRuntime(p, 0);
    // start 500, exit at 1500, then restarts after 10, 20, 40, 80, 160, 300, 300 s (each run 1 s)
    let t = 1500;
    const restarts: number[] = [];
    for (const delay of [10, 20, 40, 80, 160, 300, 300]) {
      const waiting = statusAt(p, rt, t);
      expect(waiting.containerStatuses?.[0].state?.waiting).toMatchObject({ reason: "CrashLoopBackOff", message: expect.stringContaining(`back-off ${delay}s`) });
      expect(waiting.containerStatuses?.[0].lastState?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
      expect(waiting.phase).toBe("Running");
      expect(advancePod(p, rt, t)).toBe(t + delay * 1000);
      t += delay * 1000;
      const running = statusAt(p, rt, t);
      expect(running.containerStatuses?.[0].state?.running).toBeDefined();
      restarts.push(running.containerStatuses?.[0].restartCount ?? -1);
      t += 1000;
    }
    expect(restarts).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("restarts a failing container under OnFailure, not a succeeded one", () => {
    const p = pod({ restartPolicy: "OnFailure", annotations: { "berth.dev/sim-exit-code": "1" } });
    const rt = newPodRuntime(p, 0);
    expect(statusAt(p, rt, 11_500).containerStatuses?.[0].restartCount).toBe(1);
  });
});

describe("graceful termination", () => {
  it("stops containers after sim-stop-duration when it is within the grace period", () => {
    const p = pod({ grace: 30, annotations: { "berth.dev/sim-stop-duration": "5s" } });
    const rt = newPodRuntime(p, 0);
    statusAt(p, rt, 1000);
    beginTermination(p, rt, 2000);
    expect(isStopped(rt)).toBe(false);
    expect(condition(statusAt(p, rt, 2000), "Ready")).toBe("False");
    expect(advancePod(p, rt, 2000)).toBe(7000);
    const stopped = statusAt(p, rt, 7000);
    expect(isStopped(rt)).toBe(true);
    expect(stopped.phase).toBe("Succeeded");
    expect(stopped.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0 });
  });

  it("kills containers with 137 when the grace period ends first", () => {
    const p = pod({ grace: 3, annotations: { "berth.dev/sim-stop-duration": "1h" } });
    const rt = newPodRuntime(p, 0);
    statusAt(p, rt, 1000);
    beginTermination(p, rt, 1000);
    statusAt(p, rt, 3999);
    expect(isStopped(rt)).toBe(false);
    const killed = statusAt(p, rt, 4000);
    expect(isStopped(rt)).toBe(true);
    expect(killed.phase).toBe("Failed");
    expect(killed.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 137, reason: "Error" });
  });

  it("deletes a pod whose containers never started at once", () => {
    const p = pod();
    const rt = newPodRuntime(p, 0);
    beginTermination(p, rt, 100);
    advancePod(p, rt, 100);
    expect(isStopped(rt)).toBe(true);
  });
});
