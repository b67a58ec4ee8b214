// One fixture for API server tests: an in-memory store, a fake clock and the server, plus
// small request helpers over app.inject(); and, for the real kubectl, the server on a
// loopback port with a kubeconfig for it in a temp dir.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { FakeClock } from "../../../core/clock.js";
import { openEmbeddedStore } from "../../../orchestrator/store/embedded/index.js";
import { createApiServer, type ApiServer } from "../../../orchestrator/apiserver/server.js";
import type { Store } from "../../../orchestrator/store/types.js";

export interface Harness {
  server: ApiServer;
  store: Store;
  clock: FakeClock;
  request(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, options?: { body?: unknown; contentType?: string; accept?: string }): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Record<string, string | string[] | number | undefined> }>;
  close(): Promise<void>;
}

export async function startHarness(options: { historyWindow?: number } = {}): Promise<Harness> {
  const store = await openEmbeddedStore({ historyWindow: options.historyWindow });
  const clock = new FakeClock(Date.parse("2025-01-01T00:00:00Z"));
  const server = await createApiServer({ store, clock });
  return {
    server,
    store,
    clock,
    async request(method, url, o = {}) {
      const payload = o.body === undefined ? undefined : typeof o.body === "string" ? o.body : JSON.stringify(o.body);
      const headers: Record<string, string> = {};
      if (payload !== undefined) headers["content-type"] = o.contentType ?? "application/json";
      if (o.accept) headers.accept = o.accept;
      const res = await server.app.inject({ method, url, payload, headers });
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(res.body) as Record<string, unknown>;
      } catch {
        json = {};
      }
      return { status: res.statusCode, json, text: res.body, headers: res.headers };
    },
    async close() {
      await server.close();
      await store.close();
    },
  };
}

export interface KubectlServerOptions {
  /** Prefix of the temp dir holding the kubeconfig (and files the test writes there). */
  dirPrefix: string;
  /** The server's garbage-collection interval. Default: the server's own. */
  gcIntervalMs?: number;
}

export interface KubectlServer {
  server: ApiServer;
  store: Store;
  /** The server's http://127.0.0.1:PORT. */
  url: string;
  /** The temp dir; its file "kubeconfig" points at url. */
  dir: string;
  kubeconfig: string;
  /** Runs kubectl with this kubeconfig and answers its stdout; rejects with execFile's error (code, stderr) on failure. */
  kubectl(args: string[], options?: { timeoutMs?: number; maxBuffer?: number }): Promise<string>;
  close(): Promise<void>;
}

const execFileAsync = promisify(execFile);

export async function startKubectlServer(options: KubectlServerOptions): Promise<KubectlServer> {
  const store = await openEmbeddedStore();
  const server = await createApiServer({ store, gcIntervalMs: options.gcIntervalMs });
  const url = await server.app.listen({ port: 0, host: "127.0.0.1" });
  const dir = await mkdtemp(path.join(tmpdir(), options.dirPrefix));
  const kubeconfig = path.join(dir, "kubeconfig");
  await writeFile(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: berth, cluster: {server: "${url}"}}]
users: [{name: berth, user: {}}]
contexts: [{name: berth, context: {cluster: berth, user: berth}}]
current-context: berth
`,
  );
  return {
    server,
    store,
    url,
    dir,
    kubeconfig,
    async kubectl(args, { timeoutMs = 30_000, maxBuffer } = {}) {
      const { stdout } = await execFileAsync("kubectl", ["--kubeconfig", kubeconfig, ...args], { timeout: timeoutMs, ...(maxBuffer === undefined ? {} : { maxBuffer }) });
      return stdout;
    },
    async close() {
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function pod(name: string, extra: { labels?: Record<string, string>; image?: string; namespace?: string } = {}): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...(extra.namespace ? { namespace: extra.namespace } : {}), ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { containers: [{ name: "app", image: extra.image ?? "nginx:1.27", ports: [{ containerPort: 80 }] }] },
  };
}

export function deployment(name: string, replicas = 2): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
    },
  };
}
