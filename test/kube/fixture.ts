// A real API server for kube/ tests: the embedded store and the API server in process, on a
// free loopback port, with a kubeconfig file pointing at it. Faults are injected by putting a
// real HTTP proxy in front (failFirst) rather than by mocking the client.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { openEmbeddedStore } from "../../orchestrator/store/embedded/index.js";
import { createApiServer, type ApiServer } from "../../orchestrator/apiserver/server.js";
import type { Store } from "../../orchestrator/store/types.js";
import { createKubeClient, type CreateKubeClientOptions, type KubeClient } from "../../kube/client/index.js";

export interface KubeFixture {
  url: string;
  dir: string;
  kubeconfig: string;
  server: ApiServer;
  store: Store;
  client(options?: CreateKubeClientOptions): KubeClient;
  close(): Promise<void>;
}

export function kubeconfigYaml(entries: { name: string; server: string; namespace?: string }[], current: string | undefined): string {
  const lines = ["apiVersion: v1", "kind: Config", ...(current ? [`current-context: ${current}`] : []), "clusters:"];
  for (const e of entries) lines.push(`- name: ${e.name}`, "  cluster:", `    server: ${e.server}`);
  lines.push("users:");
  for (const e of entries) lines.push(`- name: ${e.name}`, "  user: {}");
  lines.push("contexts:");
  for (const e of entries) {
    lines.push(`- name: ${e.name}`, "  context:", `    cluster: ${e.name}`, `    user: ${e.name}`, ...(e.namespace ? [`    namespace: ${e.namespace}`] : []));
  }
  return lines.join("\n") + "\n";
}

export async function startKube(options: { historyWindow?: number } = {}): Promise<KubeFixture> {
  const store = await openEmbeddedStore({ historyWindow: options.historyWindow });
  const server = await createApiServer({ store, bookmarkIntervalMs: 1_000 });
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  const port = (server.app.server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), "berth-kube-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  await writeFile(kubeconfig, kubeconfigYaml([{ name: "test", server: url }], "test"));
  return {
    url,
    dir,
    kubeconfig,
    server,
    store,
    client: (o = {}) => createKubeClient({ kubeconfig, ...o }),
    async close() {
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface FaultProxy {
  url: string;
  /** Requests seen, as "METHOD path". */
  seen: string[];
  /** The next n requests get this status (or a dropped connection with "drop"). */
  failNext(n: number, reply: number | "drop"): void;
  /** Cuts every open connection (watch streams included). */
  dropConnections(): void;
  close(): Promise<void>;
}

/** A real HTTP proxy to `target` that can fail requests on demand. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let failures: { n: number; reply: number | "drop" } = { n: 0, reply: 500 };
  const seen: string[] = [];
  const proxy = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (failures.n > 0) {
      failures.n--;
      if (failures.reply === "drop") {
        req.socket.destroy();
        return;
      }
      res.writeHead(failures.reply, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code: failures.reply, reason: "InternalError", message: "injected" }));
      return;
    }
    const upstream = http.request(target + (req.url ?? "/"), { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    // A cut client connection must end the upstream one too, or the server keeps the watch open.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const port = (proxy.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    failNext(n, reply) {
      failures = { n, reply };
    },
    dropConnections() {
      proxy.closeAllConnections();
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Polls cond on the event loop (no wall-clock assertion; the test timeout bounds it). */
export async function eventually(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
