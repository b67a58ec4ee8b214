// A built-in cluster for end-to-end tests: `berth cluster up --detach` in a temp data dir on a
// free port, the real kubectl pointed at it (own cache dir, so no discovery leaks between
// clusters), and `berth cluster down` afterwards. Suites share one cluster per file.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runBerth, runProcess, type CliResult } from "./cli.js";

export { runProcess };
import { credentialsFromKubeconfig, tlsFetch, type TlsFetchInit } from "./tlsFetch.js";

export const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";

export interface KubectlOptions {
  input?: string;
  timeoutMs?: number;
}

export interface TestCluster {
  dataDir: string;
  kubeconfig: string;
  url: string;
  kubectl(args: string[], options?: KubectlOptions): Promise<CliResult>;
  /** kubectl that must succeed; returns stdout. */
  kubectlOk(args: string[], options?: KubectlOptions): Promise<string>;
  /** An HTTP request to the API server as the admin (or, with anonymous, without credentials). */
  fetch(path: string, init?: Omit<TlsFetchInit, "tls"> & { anonymous?: boolean }): Promise<Response>;
  /** Stops the cluster, keeping its data dir (for restart tests). */
  down(): Promise<void>;
  /** Starts it again on the same data dir (a new port). */
  up(): Promise<void>;
  /** Stops the cluster and deletes its data dir. */
  stop(): Promise<void>;
}

export interface StartTestClusterOptions {
  /** Reuse this directory instead of a fresh temp dir. */
  dataDir?: string;
  /** The static token file (tokens.csv: token,user,uid,"groups") written to the data dir before up. Default none. */
  tokens?: string;
  /** Creates this namespace once the cluster is up (the suite's own). Default none. */
  namespace?: string;
}

function parseUp(result: CliResult): { url: string; kubeconfig: string } {
  const url = /running at (\S+)/.exec(result.stdout)?.[1];
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(result.stdout)?.[1];
  if (result.code !== 0 || !url || !kubeconfig) {
    throw new Error(`berth cluster up failed (exit ${result.code}): ${result.stdout}${result.stderr}`);
  }
  return { url, kubeconfig };
}


export async function startTestCluster(options: StartTestClusterOptions = {}): Promise<TestCluster> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "berth-e2e-")));
  if (options.tokens !== undefined) await writeFile(path.join(dataDir, "tokens.csv"), options.tokens, { mode: 0o600 });
  const cacheDir = path.join(dataDir, "kubectl-cache");
  let current = { url: "", kubeconfig: "" };
  const up = async (): Promise<void> => {
    current = parseUp(await runBerth(["cluster", "up", "--detach", "--data-dir", dataDir, "--port", "0"]));
  };
  const down = async (): Promise<void> => {
    const r = await runBerth(["cluster", "down", "--data-dir", dataDir]);
    if (r.code !== 0) throw new Error(`berth cluster down failed: ${r.stderr}`);
  };
  await up();
  const kubectl = (args: string[], opts: KubectlOptions = {}): Promise<CliResult> =>
    runProcess(KUBECTL, ["--kubeconfig", current.kubeconfig, "--cache-dir", cacheDir, ...args], opts);
  const cluster: TestCluster = {
    dataDir,
    get kubeconfig() {
      return current.kubeconfig;
    },
    get url() {
      return current.url;
    },
    kubectl,
    async kubectlOk(args, opts) {
      const r = await kubectl(args, opts);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (exit ${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    async fetch(urlPath, init = {}) {
      const { ca, cert, key } = await credentialsFromKubeconfig(current.kubeconfig);
      return tlsFetch(`${current.url}${urlPath}`, { ...init, tls: init.anonymous ? { ca } : { ca, cert, key } });
    },
    down,
    up,
    async stop() {
      await down().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  if (options.namespace !== undefined) {
    await cluster.kubectlOk(["create", "namespace", options.namespace]).catch(async (err: unknown) => {
      await cluster.stop();
      throw err;
    });
  }
  return cluster;
}

/** Polls check every 250 ms until it answers other than undefined or false; fails after timeoutMs (default 60 s) naming what. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
