// `berth cluster up --detach`: runs `berth cluster up` again as a background process logging
// to DATA_DIR/cluster.log, and returns once that process has written its state file (it does
// so only after /readyz answers). If the child dies first, its own error line is reported.
import { spawn } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { BerthError } from "../../core/errors.js";
import { clusterPaths } from "./paths.js";
import { poll, readState, type ClusterState } from "./process.js";
import { assertDirFree } from "./up.js";

export interface DetachOptions {
  dataDir: string;
  /** The `berth` entry script to run (process.argv[1] of the CLI). */
  cliScript: string;
  /** Arguments after `berth cluster up`, without --detach. */
  args: string[];
  timeoutMs?: number;
  /** Called about once a second while waiting. */
  onProgress?: () => void;
}

/** The detached cluster could not start; the message is the child's own error line. */
export class ClusterStartError extends BerthError {
  override readonly code: string = "CLUSTER_START";
}

async function childError(logFile: string, exitCode: number | null): Promise<string> {
  const log = await readFile(logFile, "utf8").catch(() => "");
  const errorLine = log.split("\n").reverse().find((l) => l.startsWith("Error: "));
  return errorLine ? errorLine.slice("Error: ".length) : `the cluster process exited with code ${String(exitCode)} (see ${logFile})`;
}

export async function startDetached(options: DetachOptions): Promise<ClusterState> {
  const paths = clusterPaths(options.dataDir);
  await mkdir(paths.dataDir, { recursive: true });
  await assertDirFree(paths);
  await rm(paths.stateFile, { force: true });
  const log = openSync(paths.logFile, "a");
  let exited: { code: number | null } | undefined;
  let pid: number | undefined;
  try {
    const child = spawn(process.execPath, [options.cliScript, "cluster", "up", ...options.args], { detached: true, stdio: ["ignore", log, log] });
    pid = child.pid;
    child.on("exit", (code) => (exited = { code }));
    child.unref();
  } finally {
    closeSync(log);
  }
  let ticks = 0;
  const state = await poll(async () => {
    if (exited) throw new ClusterStartError(await childError(paths.logFile, exited.code));
    if (++ticks % 10 === 0) options.onProgress?.();
    const s = await readState(paths);
    return s && s.pid === pid ? s : undefined;
  }, { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 100 });
  if (!state) {
    if (pid !== undefined) process.kill(pid, "SIGTERM");
    throw new ClusterStartError(`the cluster did not become ready in time (see ${paths.logFile})`);
  }
  return state;
}
