// pid and state files of a running cluster, and waiting for a process to go away.
import { readFile, rm, writeFile } from "node:fs/promises";
import type { ClusterPaths } from "./paths.js";

export interface ClusterState {
  pid: number;
  url: string;
  kubeconfig: string;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return typeof err === "object" && err !== null && "code" in err && err.code === "EPERM";
  }
}

/** The pid in the pid file when that process still runs. */
export async function runningPid(paths: ClusterPaths): Promise<number | undefined> {
  const text = await readFile(paths.pidFile, "utf8").catch(() => "");
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 && isRunning(pid) ? pid : undefined;
}

function isState(v: unknown): v is ClusterState {
  if (typeof v !== "object" || v === null) return false;
  return "pid" in v && typeof v.pid === "number" && "url" in v && typeof v.url === "string" && "kubeconfig" in v && typeof v.kubeconfig === "string";
}

export async function readState(paths: ClusterPaths): Promise<ClusterState | undefined> {
  const text = await readFile(paths.stateFile, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isState(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export async function writeRunFiles(paths: ClusterPaths, state: ClusterState): Promise<void> {
  await writeFile(paths.pidFile, `${state.pid}\n`);
  await writeFile(paths.stateFile, JSON.stringify(state) + "\n");
}

export async function removeRunFiles(paths: ClusterPaths): Promise<void> {
  await rm(paths.stateFile, { force: true });
  await rm(paths.pidFile, { force: true });
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/** Polls until `check` returns a value or the time is up (undefined then). */
export async function poll<T>(check: () => Promise<T | undefined>, options: WaitOptions): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
