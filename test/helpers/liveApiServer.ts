// A real API server in process on a fake clock, listening on 127.0.0.1 port 0 so that
// components reach it over HTTP with the same kubeconfig the cluster gives them, plus a client
// for the test's own reads and writes. Options add berth-node-1, a temp data dir and the
// components under test; close() stops the components in reverse order, then the server and
// store, and removes the data dir.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FakeClock } from "../../core/clock.js";
import type { KubeClient } from "../../kube/client/index.js";
import { createApiServer, type ApiServer } from "../../orchestrator/apiserver/server.js";
import { componentKubeConfig } from "../../orchestrator/cluster/components.js";
import type { Component, ComponentOptions } from "../../orchestrator/component.js";
import { addNode, clientFor } from "../../orchestrator/kubelet/index.js";
import { openEmbeddedStore } from "../../orchestrator/store/embedded/index.js";
import type { Store } from "../../orchestrator/store/types.js";

/** Options for the components under test: a fresh kubeconfig for the server's URL, the fake clock and the data dir, if any. */
export interface ComponentContext extends ComponentOptions {
  clock: FakeClock;
}

export interface LiveApiServerOptions {
  /** Registers the node berth-node-1 (addNode) before the components start. Default false. */
  node?: boolean;
  /** Makes a temp data dir with this prefix for the components; removed on close. Default none. */
  dataDirPrefix?: string;
  /** Starts the components under test, in order. Default none. */
  components?: (context: ComponentContext) => Promise<Component[]>;
  /** How many rounds eventually() polls before it gives up. Default 200. */
  pollRounds?: number;
}

export interface LiveApiServer {
  store: Store;
  server: ApiServer;
  clock: FakeClock;
  client: KubeClient;
  url: string;
  /** The temp data dir, undefined unless `dataDirPrefix` was given. */
  dataDir: string | undefined;
  /** Polls check, letting real I/O run 10 ms and moving the fake clock `stepMs` (default 100) each round. */
  eventually<T>(check: () => Promise<T | undefined>, options?: { stepMs?: number }): Promise<T>;
  close(): Promise<void>;
}

export async function startLiveApiServer(options: LiveApiServerOptions = {}): Promise<LiveApiServer> {
  const dataDir = options.dataDirPrefix === undefined ? undefined : await mkdtemp(path.join(os.tmpdir(), options.dataDirPrefix));
  const store = await openEmbeddedStore();
  const clock = new FakeClock(Date.parse("2025-01-01T00:00:00Z"));
  const server = await createApiServer({ store, clock });
  await server.app.listen({ host: "127.0.0.1", port: 0 });
  const address = server.app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const client = clientFor({ kubeConfig: componentKubeConfig(url), clock });
  if (options.node) await addNode(client, { now: clock.now() });
  const components = options.components ? await options.components({ kubeConfig: componentKubeConfig(url), clock, ...(dataDir === undefined ? {} : { dataDir }) }) : [];
  const pollRounds = options.pollRounds ?? 200;
  return {
    store,
    server,
    clock,
    client,
    url,
    dataDir,
    async eventually(check, { stepMs = 100 } = {}) {
      for (let i = 0; i < pollRounds; i++) {
        const value = await check();
        if (value !== undefined) return value;
        clock.advance(stepMs);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error("condition not reached");
    },
    async close() {
      for (const c of [...components].reverse()) await c.stop();
      await server.close();
      await store.close();
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
