// Runs the cluster's components (simulated nodes, scheduler, controllers) on a worker thread,
// so the API server keeps its own event loop and the two use both cores of a small machine.
// They talk to the API server over HTTP exactly as in-process components do; only the
// start/stop handshake crosses the thread boundary (workerData in, messages out).
// The worker script sits next to this module once compiled (dist/ or the CLI bundle); run from
// TypeScript sources (vitest) there is none, and components start in-process instead.
// BERTH_COMPONENTS_IN_PROCESS=1 forces in-process components (profiling, debugging).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { COMPONENTS, startComponents, type RunningComponents, type StartComponentsOptions } from "./components.js";
import type { ClusterCredentials } from "./kubeconfig.js";

/** What the worker needs to start the named components (all of it structured-cloneable). */
export interface ComponentThreadData {
  url: string;
  names: string[];
  /** By component name; absent on a plain-HTTP cluster. */
  credentials: Record<string, ClusterCredentials | undefined>;
  dataDir?: string;
}

const STOP_GRACE_MS = 15_000;

export type ComponentThreadMessage = { type: "started"; names: string[] } | { type: "failed"; message: string } | { type: "stopped" };

/** The compiled worker script beside this module: the bundle's, then tsc's; undefined from sources. */
export function componentWorkerScript(): URL | undefined {
  if (process.env.BERTH_COMPONENTS_IN_PROCESS === "1") return undefined;
  for (const name of ["./components-worker.js", "./componentsWorker.js"]) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/**
 * Starts the components on a worker thread when the worker script exists (a real clock only:
 * a fake one cannot cross threads), else in this thread. Resolves once all have started.
 */
export async function startComponentsThreaded(options: StartComponentsOptions): Promise<RunningComponents> {
  const script = componentWorkerScript();
  if (!script) return startComponents(options);
  const entries = options.components ?? COMPONENTS;
  const credentials: ComponentThreadData["credentials"] = {};
  for (const entry of entries) credentials[entry.name] = await options.credentialsFor?.(entry.identity);
  const data: ComponentThreadData = { url: options.url, names: entries.map((e) => e.name), credentials, dataDir: options.dataDir };
  const worker = new Worker(script, { workerData: data });
  const started = await new Promise<string[]>((resolve, reject) => {
    worker.once("message", (m: ComponentThreadMessage) => (m.type === "started" ? resolve(m.names) : reject(new Error(m.type === "failed" ? m.message : "component thread stopped before starting"))));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`component thread exited with code ${code} before starting`)));
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  worker.on("error", (err) => options.logger?.error(`component thread: ${err.message}`));
  let stopping: Promise<void> | undefined;
  return {
    names: started,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        // Watches and keep-alive sockets would hold the thread open; it is done once "stopped".
        // A component that does not stop in time is cut off: Ctrl-C must never hang.
        const timer = setTimeout(() => {
          options.logger?.warn(`components did not stop within ${STOP_GRACE_MS / 1000} s; stopping their thread`);
          finish();
        }, STOP_GRACE_MS);
        const finish = () => {
          clearTimeout(timer);
          void worker.terminate().then(() => resolve());
        };
        worker.on("message", (m: ComponentThreadMessage) => m.type === "stopped" && finish());
        worker.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        worker.postMessage({ type: "stop" });
      })),
  };
}
