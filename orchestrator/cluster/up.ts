// Starts a cluster in this process: store + API server on 127.0.0.1 (HTTPS with the data dir's
// CA, authn and authz; plain HTTP without auth only with insecureHttp, and only because the
// server binds loopback alone), a kubeconfig, and the pid / state files `berth cluster down`
// and `--detach` rely on. Ready means /readyz answers.
import { mkdir } from "node:fs/promises";
import { realClock } from "../../core/clock.js";
import { UsageError } from "../../core/errors.js";
import { createApiServer } from "../apiserver/server.js";
import { serviceAccountAdmission } from "../apiserver/admission/serviceAccount.js";
import { clientFor, seedNodes, type NodeRow } from "../kubelet/index.js";
import { componentKubeConfig, stderrLogger, type RunningComponents } from "./components.js";
import { startComponentsThreaded } from "./componentThread.js";
import { KUBELET_IDENTITY } from "../auth/identities.js";
import type { ApiServer } from "../apiserver/server.js";
import { prepareSecurity, type ClusterSecurity } from "./security.js";
import { probeReady, serveHttps, type Serving } from "./serve.js";
import type { Store } from "../store/types.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { clusterPaths, type ClusterPaths } from "./paths.js";
import { poll, removeRunFiles, runningPid, writeRunFiles } from "./process.js";
import { openClusterStore, type StoreKind } from "./store.js";

export interface StartClusterOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Default: DATA_DIR/kubeconfig. */
  kubeconfig?: string;
  store?: StoreKind;
  etcdEndpoints?: string[];
  /** Simulated nodes registered on a cluster that has none yet (default 3). */
  nodes?: number;
  /** Serve plain HTTP on loopback with authentication and authorization off (default false). */
  insecureHttp?: boolean;
}

export interface RunningCluster {
  url: string;
  /** The simulated nodes, as registered at start. */
  nodes: NodeRow[];
  kubeconfig: string;
  paths: ClusterPaths;
  /** Stops serving, closes the store, removes the pid file; safe to call twice. */
  stop(): Promise<void>;
}

export const HOST = "127.0.0.1";

export function validateNodeCount(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 5000) throw new UsageError(`--nodes: expected an integer from 0 to 5000, got ${String(value)}`);
  return value;
}

export function validatePort(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new UsageError(`--port: expected an integer from 0 to 65535, got ${String(value)}`);
  return value;
}

async function assertDirFree(paths: ClusterPaths): Promise<void> {
  const pid = await runningPid(paths);
  if (pid !== undefined && pid !== process.pid) {
    throw new UsageError(`data directory ${paths.dataDir} is in use by a running cluster (pid ${pid})`, {
      hint: `stop it with: berth cluster down --data-dir ${paths.dataDir}`,
    });
  }
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && "code" in err && err.code === code;
}

export { assertDirFree };

export async function startCluster(options: StartClusterOptions): Promise<RunningCluster> {
  const paths = clusterPaths(options.dataDir);
  const port = validatePort(options.port);
  await mkdir(paths.dataDir, { recursive: true });
  await assertDirFree(paths);
  const store: Store = await openClusterStore({ kind: options.store ?? "embedded", storeDir: paths.storeDir, etcdEndpoints: options.etcdEndpoints });
  const security = options.insecureHttp ? undefined : await prepareSecurity({ dataDir: paths.dataDir, clock: realClock });
  const server = await createApiServer({ store, security: security?.plugin, admission: [serviceAccountAdmission()] });
  let serving: Serving;
  try {
    serving = await listenApi(server, { port, security });
  } catch (err) {
    await server.close();
    await store.close();
    if (isErrno(err, "EADDRINUSE")) throw new UsageError(`--port: port ${port} on ${HOST} is already in use`, { cause: err, hint: "pick another port, or --port 0 for a free one" });
    throw err;
  }
  const url = `${security ? "https" : "http"}://${HOST}:${serving.port}`;
  const credentialsFor = security?.credentialsFor;
  const kubeconfig = options.kubeconfig ?? paths.kubeconfig;
  let stopped = false;
  let components: RunningComponents | undefined;
  let nodes: NodeRow[] = [];
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await components?.stop();
    await serving.close();
    await server.close();
    await security?.close();
    await store.close();
    await removeRunFiles(paths);
  };
  try {
    await writeKubeconfig(kubeconfig, url, await security?.adminCredentials());
    await waitReady(url, security?.pki.ca.certPem);
    const kubeletConfig = componentKubeConfig(url, await credentialsFor?.(KUBELET_IDENTITY));
    nodes = await seedNodes(clientFor({ kubeConfig: kubeletConfig, clock: realClock }), { count: options.nodes ?? 3, now: realClock.now() });
    components = await startComponentsThreaded({ url, clock: realClock, logger: stderrLogger, dataDir: paths.dataDir, credentialsFor });
    await writeRunFiles(paths, { pid: process.pid, url, kubeconfig });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, kubeconfig, paths, nodes, stop };
}

async function listenApi(server: ApiServer, options: { port: number; security?: ClusterSecurity }): Promise<Serving> {
  const security = options.security;
  if (security) {
    const tls = { certPem: security.pki.serving.certPem, keyPem: security.pki.serving.keyPem, caPem: security.pki.ca.certPem };
    return serveHttps(server.app, { host: HOST, port: options.port, tls });
  }
  await server.app.listen({ host: HOST, port: options.port });
  const address = server.app.server.address();
  // fastify's own close (server.close()) stops the plain HTTP listener.
  return { port: typeof address === "object" && address !== null ? address.port : options.port, close: () => Promise.resolve() };
}

async function waitReady(url: string, caPem: string | undefined): Promise<void> {
  const ok = await poll(async () => ((await probeReady(url, caPem)) ? true : undefined), { timeoutMs: 30_000, intervalMs: 50 });
  if (!ok) throw new UsageError(`the API server at ${url} did not become ready (/readyz) within 30 s`);
}
