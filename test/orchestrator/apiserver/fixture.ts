// One fixture for API server tests: an in-memory store, a fake clock and the server, plus
// small request helpers over app.inject().
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
