// Starts a throwaway single-member etcd on free loopback ports with its own data dir, for the
// etcd store's tests and the store benchmark; stopped by its pid. Debian's `etcd-server`
// package provides the binary (`apt-get install etcd-server`); nothing here installs it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { StoreUnavailable } from "../errors.js";

export interface LocalEtcd {
  endpoint: string;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface LocalEtcdOptions {
  /** The etcd binary (default: `etcd` on PATH). */
  binary?: string;
  /** How long to wait for /health (default 20 s). */
  readyTimeoutMs?: number;
}

export async function startLocalEtcd(options: LocalEtcdOptions = {}): Promise<LocalEtcd> {
  const binary = options.binary ?? "etcd";
  const dataDir = await mkdtemp(path.join(tmpdir(), "berth-etcd-"));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    binary,
    [
      "--name", "berth-test",
      "--data-dir", dataDir,
      "--listen-client-urls", endpoint,
      "--advertise-client-urls", endpoint,
      "--listen-peer-urls", peer,
      "--initial-advertise-peer-urls", peer,
      "--initial-cluster", `berth-test=${peer}`,
      "--log-level", "error",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.on("exit", (code, signal) => resolve(signal ?? code));
    child.on("error", () => resolve(null));
  });
  const spawnError = new Promise<Error>((resolve) => child.on("error", resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGTERM");
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitReady({ binary, endpoint, child, spawnError, timeoutMs: options.readyTimeoutMs ?? 20_000, stderr: () => stderr });
  } catch (err) {
    await stop();
    throw err;
  }
  if (child.pid === undefined) throw new StoreUnavailable(`${binary} did not start`);
  return { endpoint, pid: child.pid, dataDir, stop };
}

interface WaitOptions {
  binary: string;
  endpoint: string;
  child: ChildProcess;
  spawnError: Promise<Error>;
  timeoutMs: number;
  stderr(): string;
}

async function waitReady(options: WaitOptions): Promise<void> {
  let failure: Error | undefined;
  void options.spawnError.then((err) => (failure = err));
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (failure) {
      const missing = "code" in failure && failure.code === "ENOENT";
      throw new StoreUnavailable(
        missing ? `etcd is not installed (no \`${options.binary}\` on PATH)` : `etcd failed to start: ${failure.message}`,
        { hint: "install Debian's etcd-server: apt-get install -y etcd-server", cause: failure },
      );
    }
    if (options.child.exitCode !== null) {
      throw new StoreUnavailable(`etcd exited with code ${options.child.exitCode}: ${options.stderr().trim()}`);
    }
    if (await healthy(options.endpoint)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new StoreUnavailable(`etcd at ${options.endpoint} not healthy after ${options.timeoutMs} ms: ${options.stderr().trim()}`);
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health`);
    const body: unknown = await response.json();
    return typeof body === "object" && body !== null && "health" in body && body.health === "true";
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
