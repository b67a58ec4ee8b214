// `berth cluster down`: SIGTERM to the pid in DATA_DIR/cluster.pid, then wait for it to exit
// (it closes the store cleanly); SIGKILL only if it does not stop in time.
import { NotFoundError } from "../../core/errors.js";
import { clusterPaths } from "./paths.js";
import { isRunning, poll, removeRunFiles, runningPid } from "./process.js";

export interface StopClusterOptions {
  dataDir: string;
  timeoutMs?: number;
}

export interface StopResult {
  pid: number;
  /** True when it had to be killed after the timeout. */
  killed: boolean;
}

export async function stopCluster(options: StopClusterOptions): Promise<StopResult> {
  const paths = clusterPaths(options.dataDir);
  const pid = await runningPid(paths);
  if (pid === undefined) {
    await removeRunFiles(paths);
    throw new NotFoundError(`no cluster is running with data directory ${paths.dataDir}`);
  }
  process.kill(pid, "SIGTERM");
  const gone = await poll(async () => (isRunning(pid) ? undefined : true), { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 50 });
  if (gone) return { pid, killed: false };
  process.kill(pid, "SIGKILL");
  await poll(async () => (isRunning(pid) ? undefined : true), { timeoutMs: 5_000, intervalMs: 50 });
  await removeRunFiles(paths);
  return { pid, killed: true };
}
