// The worker-thread side of componentThread.ts: starts the components named in workerData
// against the API server's URL, reports "started" (or "failed"), and on "stop" stops them and
// reports "stopped". Logs go to this process's stderr like in-process components'.
import { parentPort, workerData } from "node:worker_threads";
import { realClock } from "../../core/clock.js";
import type { ComponentThreadData, ComponentThreadMessage } from "./componentThread.js";
import { COMPONENTS, startComponents, stderrLogger, type RunningComponents } from "./components.js";

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("componentsWorker runs only as a worker thread");
  const data = workerData as ComponentThreadData;
  const post = (m: ComponentThreadMessage): void => port.postMessage(m);
  let running: RunningComponents;
  try {
    running = await startComponents({
      url: data.url,
      clock: realClock,
      logger: stderrLogger,
      dataDir: data.dataDir,
      components: COMPONENTS.filter((c) => data.names.includes(c.name)),
      // Plain HTTP clusters hand out no credentials; then components get none either.
      credentialsFor: Object.values(data.credentials).some(Boolean)
        ? (identity) => {
            const entry = COMPONENTS.find((c) => c.identity === identity);
            const credentials = entry ? data.credentials[entry.name] : undefined;
            return credentials ? Promise.resolve(credentials) : Promise.reject(new Error(`no credentials for ${identity.commonName}`));
          }
        : undefined,
    });
  } catch (err) {
    post({ type: "failed", message: err instanceof Error ? err.message : String(err) });
    return;
  }
  post({ type: "started", names: running.names });
  port.on("message", (m: { type?: string }) => {
    if (m.type === "stop") void running.stop().then(() => post({ type: "stopped" }));
  });
}

void main();
