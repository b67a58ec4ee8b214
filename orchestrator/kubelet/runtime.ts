// The simulated container runtime of one pod: a step machine over time. `advancePod` moves a
// PodRuntime to `now`, processing every due event at its own instant (so timestamps are the
// times things happened, however late the kubelet looks), and returns when the next event is
// due. No timers here; the kubelet's driver requeues the pod for that moment on its Clock.
//
// Lifecycle: sandbox created (ContainerCreating) → init containers one by one → app containers
// all at once → exits per the sim annotations → restarts per restartPolicy with CrashLoopBackOff
// (10 s doubling to 5 min, reset after 10 min of running) → on deletion, SIGTERM and stop within
// min(grace, sim-stop-duration), exit code 137 when the grace period ran out.
import type { Container, Pod } from "./types.js";
import { SIM_CRASH, SIM_NEVER_READY, SIM_START_DELAY, SIM_STOP_DURATION, podDuration, simDuration, simExitCode, simFlag } from "./annotations.js";

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
/** Running this long without a crash resets the backoff, as kubelet's 2 × max backoff. */
export const BACKOFF_RESET_MS = 2 * BACKOFF_MAX_MS;
export const DEFAULT_START_DELAY_MS = 200;
export const DEFAULT_JOB_DURATION_MS = 1000;

export interface Termination {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerId: string;
}

export interface ContainerRuntime {
  name: string;
  image: string;
  init: boolean;
  /** An init container with restartPolicy Always: starts in order, then keeps running. */
  sidecar: boolean;
  state: "waiting" | "running" | "terminated";
  waitingReason: "ContainerCreating" | "PodInitializing" | "CrashLoopBackOff";
  restartCount: number;
  /** Restarts in the current crash streak, for the backoff. */
  backoffStep: number;
  startedAt?: number;
  containerId?: string;
  /** When the running container exits, and with what; undefined: runs until stopped. */
  exitAt?: number;
  exitCode: number;
  /** When the running container turns ready; undefined: never. */
  readyAt?: number;
  restartAt?: number;
  terminated?: Termination;
  last?: Termination;
}

export interface PodRuntime {
  uid: string;
  createdAt: number;
  startAt: number;
  /** The sandbox is up (startAt passed): containers have been started. */
  sandboxReady: boolean;
  containers: ContainerRuntime[];
  /** Set once the pod's deletion was seen: when every container will have stopped. */
  stopAt?: number;
  stopExitCode?: number;
  /** An init container failed under restartPolicy Never: app containers never start. */
  initFailed: boolean;
}

function newContainer(c: Container, init: boolean): ContainerRuntime {
  return {
    name: c.name,
    image: c.image ?? "",
    init,
    sidecar: init && c.restartPolicy === "Always",
    state: "waiting",
    waitingReason: init ? "ContainerCreating" : "PodInitializing",
    restartCount: 0,
    backoffStep: 0,
    exitCode: 0,
  };
}

export function newPodRuntime(pod: Pod, now: number): PodRuntime {
  const init = (pod.spec?.initContainers ?? []).map((c) => newContainer(c, true));
  const app = (pod.spec?.containers ?? []).map((c) => newContainer(c, false));
  if (init.length === 0) for (const c of app) c.waitingReason = "ContainerCreating";
  return {
    uid: pod.metadata?.uid ?? "",
    createdAt: now,
    startAt: now + podDuration(pod, SIM_START_DELAY, DEFAULT_START_DELAY_MS),
    sandboxReady: false,
    containers: [...init, ...app],
    initFailed: false,
  };
}

function specOf(pod: Pod, c: ContainerRuntime): Container | undefined {
  return (c.init ? pod.spec?.initContainers : pod.spec?.containers)?.find((s) => s.name === c.name);
}

function startContainer(pod: Pod, rt: PodRuntime, c: ContainerRuntime, at: number): void {
  const spec = specOf(pod, c);
  const who = { name: c.name, init: c.init };
  const crash = simFlag(pod, SIM_CRASH, who);
  const exitCode = simExitCode(pod, who);
  let runMs = simDuration(pod, who);
  const restartAlways = (pod.spec?.restartPolicy ?? "Always") === "Always";
  if (runMs === undefined && (c.init ? !c.sidecar : crash || exitCode !== undefined || !restartAlways)) {
    runMs = c.init ? 0 : DEFAULT_JOB_DURATION_MS;
  }
  c.state = "running";
  c.startedAt = at;
  c.containerId = `berth://${rt.uid.replace(/-/g, "").slice(0, 12)}-${c.name}-${c.restartCount}`;
  c.exitAt = runMs === undefined || c.sidecar ? undefined : at + runMs;
  c.exitCode = exitCode ?? (crash ? 1 : 0);
  const probeDelay = (spec?.startupProbe?.initialDelaySeconds ?? 0) * 1000 + (spec?.readinessProbe?.initialDelaySeconds ?? 0) * 1000;
  c.readyAt = simFlag(pod, SIM_NEVER_READY, who) ? undefined : at + probeDelay;
  c.restartAt = undefined;
}

/** Marks a container as started at `at` (used when adopting a container that was running). */
export function startContainerAt(pod: Pod, rt: PodRuntime, c: ContainerRuntime, at: number): void {
  startContainer(pod, rt, c, at);
}

function terminate(c: ContainerRuntime, at: number, exitCode: number): void {
  c.terminated = {
    exitCode,
    reason: exitCode === 0 ? "Completed" : "Error",
    startedAt: c.startedAt ?? at,
    finishedAt: at,
    containerId: c.containerId ?? "",
  };
  c.state = "terminated";
  c.exitAt = undefined;
  c.readyAt = undefined;
}

function shouldRestart(pod: Pod, c: ContainerRuntime, exitCode: number): boolean {
  if (c.sidecar) return true;
  const policy = pod.spec?.restartPolicy ?? "Always";
  if (c.init) return policy !== "Never" && exitCode !== 0;
  return policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
}

export function backoffMs(step: number): number {
  return Math.min(BACKOFF_INITIAL_MS * 2 ** step, BACKOFF_MAX_MS);
}

function exitContainer(pod: Pod, rt: PodRuntime, c: ContainerRuntime, at: number): void {
  const ranFor = at - (c.startedAt ?? at);
  terminate(c, at, c.exitCode);
  if (!shouldRestart(pod, c, c.exitCode)) {
    if (c.init && c.exitCode !== 0) rt.initFailed = true;
    if (c.init && c.exitCode === 0) startNext(pod, rt, at);
    return;
  }
  if (ranFor >= BACKOFF_RESET_MS) c.backoffStep = 0;
  c.restartAt = at + backoffMs(c.backoffStep);
  c.backoffStep += 1;
  c.state = "waiting";
  c.waitingReason = "CrashLoopBackOff";
  c.last = c.terminated;
  c.terminated = undefined;
}

/** Starts the next init container, or the app containers once every init container is done. */
function startNext(pod: Pod, rt: PodRuntime, at: number): void {
  for (const c of rt.containers) {
    if (!c.init) break;
    if (c.state === "waiting" && c.restartCount === 0 && c.restartAt === undefined) {
      startContainer(pod, rt, c, at);
      if (!c.sidecar) return;
    } else if (!c.sidecar && c.state !== "terminated") {
      return;
    }
  }
  for (const c of rt.containers) {
    if (!c.init && c.state === "waiting" && c.restartCount === 0 && c.restartAt === undefined) startContainer(pod, rt, c, at);
  }
}

/** The earliest event that changes the runtime's state (readiness excluded), or undefined. */
function nextStateEvent(rt: PodRuntime): number | undefined {
  if (rt.stopAt !== undefined) return rt.containers.some((c) => c.state === "running") ? rt.stopAt : undefined;
  const times = rt.sandboxReady ? [] : [rt.startAt];
  for (const c of rt.containers) {
    if (c.exitAt !== undefined) times.push(c.exitAt);
    if (c.restartAt !== undefined) times.push(c.restartAt);
  }
  return times.length === 0 ? undefined : Math.min(...times);
}

function processEventsAt(pod: Pod, rt: PodRuntime, at: number): void {
  if (rt.stopAt !== undefined) {
    if (at >= rt.stopAt) for (const c of rt.containers) if (c.state === "running") terminate(c, at, rt.stopExitCode ?? 0);
    return;
  }
  if (!rt.sandboxReady && at >= rt.startAt) {
    rt.sandboxReady = true;
    startNext(pod, rt, at);
  }
  for (const c of rt.containers) {
    if (c.state === "running" && c.exitAt !== undefined && c.exitAt <= at) exitContainer(pod, rt, c, at);
    else if (c.state === "waiting" && c.restartAt !== undefined && c.restartAt <= at) {
      c.restartCount += 1;
      startContainer(pod, rt, c, at);
    }
  }
}

/**
 * Moves the runtime to `now`, processing each due event at its own time. Returns the time of
 * the next event (a container turning ready included), or undefined when nothing more happens
 * by itself.
 */
export function advancePod(pod: Pod, rt: PodRuntime, now: number): number | undefined {
  for (let due = nextStateEvent(rt); due !== undefined && due <= now; due = nextStateEvent(rt)) {
    processEventsAt(pod, rt, due);
  }
  const ready = rt.containers.map((c) => (c.state === "running" && rt.stopAt === undefined ? c.readyAt : undefined));
  const future = [nextStateEvent(rt), ...ready].filter((t): t is number => t !== undefined && t > now);
  return future.length === 0 ? undefined : Math.min(...future);
}

/**
 * The pod was deleted: containers get SIGTERM now and stop after sim-stop-duration, or are
 * killed (137) when the grace period ends first. Idempotent: the first call fixes the times.
 */
export function beginTermination(pod: Pod, rt: PodRuntime, now: number): void {
  if (rt.stopAt !== undefined) return;
  const graceMs = (pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
  const simStop = podDuration(pod, SIM_STOP_DURATION, 0);
  rt.stopAt = now + Math.min(graceMs, simStop);
  rt.stopExitCode = simStop <= graceMs ? 0 : 137;
  for (const c of rt.containers) {
    c.exitAt = undefined;
    c.restartAt = undefined;
  }
}

/** True once every container has stopped after a deletion: the pod may be removed. */
export function isStopped(rt: PodRuntime): boolean {
  return rt.stopAt !== undefined && !rt.containers.some((c) => c.state === "running");
}
