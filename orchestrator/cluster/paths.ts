// Where a cluster keeps its files under its data directory (DESIGN.md: deleting DIR resets it).
import os from "node:os";
import path from "node:path";

export interface ClusterPaths {
  dataDir: string;
  /** The embedded store's log, snapshots and lock. */
  storeDir: string;
  kubeconfig: string;
  /** pid of the process serving the cluster, present while it runs. */
  pidFile: string;
  /** Written once the server answers /readyz: { pid, url, kubeconfig }. */
  stateFile: string;
  /** Output of a detached cluster. */
  logFile: string;
}

/** $XDG_DATA_HOME/berth/cluster, else ~/.local/share/berth/cluster. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(os.homedir(), ".local", "share");
  return path.join(base, "berth", "cluster");
}

export function clusterPaths(dataDir: string): ClusterPaths {
  const dir = path.resolve(dataDir);
  return {
    dataDir: dir,
    storeDir: path.join(dir, "store"),
    kubeconfig: path.join(dir, "kubeconfig"),
    pidFile: path.join(dir, "cluster.pid"),
    stateFile: path.join(dir, "cluster.json"),
    logFile: path.join(dir, "cluster.log"),
  };
}
