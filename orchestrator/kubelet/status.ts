// Renders a simulated pod's runtime as the PodStatus a kubelet reports: phase, conditions,
// container statuses and IPs. Pure: the same runtime, pod and time give the same status, and
// a condition keeps its lastTransitionTime while its value does not change, so the kubelet
// writes only when something a client can see changed.
import { createHash } from "node:crypto";
import type { Condition, ContainerState, ContainerStatus, Pod, PodStatus } from "./types.js";
import type { ContainerRuntime, PodRuntime, Termination } from "./runtime.js";

export interface StatusContext {
  hostIP: string;
  podIP: string;
  now: number;
}

/** Kubernetes timestamps have second precision. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function imageID(image: string): string {
  const digest = createHash("sha256").update(image).digest("hex");
  const name = image.includes("/") ? image : `docker.io/library/${image}`;
  return `${name.replace(/:[^/:]*$/, "")}@sha256:${digest}`;
}

function terminatedState(t: Termination): ContainerState {
  return {
    terminated: { exitCode: t.exitCode, reason: t.reason, startedAt: isoSeconds(t.startedAt), finishedAt: isoSeconds(t.finishedAt), containerID: t.containerId },
  };
}

function stateOf(c: ContainerRuntime, pod: Pod): ContainerState {
  if (c.state === "running") return { running: { startedAt: isoSeconds(c.startedAt ?? 0) } };
  if (c.state === "terminated" && c.terminated) return terminatedState(c.terminated);
  if (c.waitingReason === "CrashLoopBackOff") {
    const delay = Math.round(((c.restartAt ?? 0) - (c.last?.finishedAt ?? 0)) / 1000);
    const ref = `${pod.metadata?.name ?? ""}_${pod.metadata?.namespace ?? ""}(${pod.metadata?.uid ?? ""})`;
    return { waiting: { reason: "CrashLoopBackOff", message: `back-off ${delay}s restarting failed container=${c.name} pod=${ref}` } };
  }
  return { waiting: { reason: c.waitingReason } };
}

export function isContainerReady(c: ContainerRuntime, rt: PodRuntime, now: number): boolean {
  return c.state === "running" && rt.stopAt === undefined && c.readyAt !== undefined && c.readyAt <= now;
}

function containerStatus(c: ContainerRuntime, rt: PodRuntime, pod: Pod, now: number): ContainerStatus {
  const status: ContainerStatus = {
    name: c.name,
    image: c.image,
    imageID: c.startedAt === undefined ? "" : imageID(c.image),
    ready: isContainerReady(c, rt, now),
    restartCount: c.restartCount,
    started: c.state === "running",
    state: stateOf(c, pod),
    lastState: c.last ? terminatedState(c.last) : {},
  };
  if (c.containerId && c.state !== "waiting") status.containerID = c.containerId;
  return status;
}

/** Pending, Running, Succeeded or Failed, by Kubernetes' rules (kubelet getPhase). */
export function podPhase(rt: PodRuntime, pod: Pod): string {
  const app = rt.containers.filter((c) => !c.init);
  if (rt.initFailed) return "Failed";
  const allTerminated = app.every((c) => c.state === "terminated");
  if (allTerminated && app.length > 0) {
    const failed = app.some((c) => (c.terminated?.exitCode ?? 0) !== 0);
    // A deleted pod's containers do not restart: it ends by its exit codes whatever the policy.
    if (rt.stopAt !== undefined || (pod.spec?.restartPolicy ?? "Always") !== "Always") return failed ? "Failed" : "Succeeded";
  }
  const started = app.some((c) => c.state !== "waiting" || c.restartCount > 0 || c.last !== undefined);
  return started ? "Running" : "Pending";
}

interface ConditionValue {
  status: "True" | "False";
  reason?: string;
  message?: string;
}

function condition(type: string, value: ConditionValue, previous: PodStatus | undefined, now: number): Condition {
  const old = previous?.conditions?.find((c) => c.type === type);
  const since = old && old.status === value.status ? old.lastTransitionTime : (isoSeconds(now));
  const out: Condition = { type, status: value.status, lastProbeTime: null, lastTransitionTime: since };
  if (value.reason) out.reason = value.reason;
  if (value.message) out.message = value.message;
  return out;
}

function conditions(rt: PodRuntime, pod: Pod, phase: string, now: number): Condition[] {
  const app = rt.containers.filter((c) => !c.init);
  const init = rt.containers.filter((c) => c.init && !c.sidecar);
  const pendingInit = init.filter((c) => c.state !== "terminated" || c.terminated?.exitCode !== 0).map((c) => c.name);
  const unready = [...rt.containers.filter((c) => c.sidecar), ...app].filter((c) => !isContainerReady(c, rt, now)).map((c) => c.name);
  const completed = phase === "Succeeded" || phase === "Failed";
  const notReady = completed ? { reason: "PodCompleted" } : { reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]` };
  const ready: ConditionValue = unready.length === 0 && !completed ? { status: "True" } : { status: "False", ...notReady };
  const initialized: ConditionValue =
    pendingInit.length === 0 || completed
      ? { status: "True" }
      : { status: "False", reason: "ContainersNotInitialized", message: `containers with incomplete status: [${pendingInit.join(" ")}]` };
  const previous = pod.status;
  return [
    condition("PodReadyToStartContainers", { status: rt.sandboxReady && !completed ? "True" : "False" }, previous, now),
    condition("Initialized", initialized, previous, now),
    condition("Ready", ready, previous, now),
    condition("ContainersReady", ready, previous, now),
    condition("PodScheduled", { status: "True" }, previous, now),
  ];
}

/** The status the kubelet reports for `pod`, keeping fields others own (qosClass, nominatedNodeName). */
export function renderPodStatus(pod: Pod, rt: PodRuntime, ctx: StatusContext): PodStatus {
  const phase = podPhase(rt, pod);
  const status: PodStatus = {
    ...(pod.status ?? {}),
    phase,
    conditions: conditions(rt, pod, phase, ctx.now),
    hostIP: ctx.hostIP,
    hostIPs: [{ ip: ctx.hostIP }],
    podIP: ctx.podIP,
    podIPs: [{ ip: ctx.podIP }],
    startTime: isoSeconds(rt.createdAt),
    containerStatuses: rt.containers.filter((c) => !c.init).map((c) => containerStatus(c, rt, pod, ctx.now)),
  };
  const init = rt.containers.filter((c) => c.init);
  if (init.length > 0) status.initContainerStatuses = init.map((c) => containerStatus(c, rt, pod, ctx.now));
  else delete status.initContainerStatuses;
  delete status.reason;
  delete status.message;
  return status;
}
