// The API server: fastify speaking the Kubernetes REST API over a Store. Wires the registry,
// discovery, resource routes, OpenAPI documents, CRD serving and the GC / namespace loops.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { realClock, type Clock } from "../../core/clock.js";
import type { Store } from "../store/types.js";
import { defaultUid, type ApiEnv, type WriteCheck } from "./context.js";
import { CustomResources } from "./crd/index.js";
import { acceptsAggregated, Discovery, versionInfo } from "./discovery.js";
import { GarbageCollector } from "./gc/index.js";
import { ensureNamespaces } from "./gc/namespaces.js";
import { registerOpenApiRoutes } from "./openapi/index.js";
import { ResourceRegistry } from "./registry.js";
import { registerResourceRoutes, sendDoc } from "./router.js";
import { toStatus } from "./status.js";
import { ObjectStorage } from "./storage.js";
import { decodeProtobuf, PROTOBUF } from "./protobuf.js";

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * BOOKMARKs on a quiet watch this often (Kubernetes: about a minute). @kubernetes/client-node
 * aborts a watch that received nothing for 30 s, so its informers on idle kinds reconnected
 * every 30 s with a TimeoutError; a bookmark every 20 s keeps them open.
 */
export const DEFAULT_BOOKMARK_INTERVAL_MS = 20_000;

export interface ApiServerOptions {
  store: Store;
  clock?: Clock;
  /** fastify's logger option (default: off). */
  logger?: FastifyServerOptions["logger"];
  /** Bookmark interval of watches (default DEFAULT_BOOKMARK_INTERVAL_MS). */
  bookmarkIntervalMs?: number;
  /** Period of the garbage collector's full pass (default 10 s; deletions also trigger one). */
  gcIntervalMs?: number;
  /** Authentication, authorization and audit (orchestrator/auth), installed ahead of every route. Default: none (in-process tests). */
  security?: ApiServerPlugin;
  /** Admission steps run on every write after the built-in ones, e.g. ServiceAccount admission (admission/serviceAccount.ts). Default: none. */
  admission?: WriteCheck[];
}

/** Hooks and routes installed before the API routes, so an onRequest hook sees every request. */
export interface ApiServerPlugin {
  install(app: FastifyInstance, env: ApiEnv): Promise<void>;
}

export interface ApiServer {
  app: FastifyInstance;
  registry: ResourceRegistry;
  env: ApiEnv;
  gc: GarbageCollector;
  /** Stops the loops and the HTTP server; the store stays open (its owner closes it). */
  close(): Promise<void>;
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const clock = options.clock ?? realClock;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_BODY_BYTES, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 } });
  const registry = new ResourceRegistry();
  const custom = new CustomResources(registry);
  const env: ApiEnv = { registry, storage: new ObjectStorage(options.store), clock, custom, writeListeners: [], writeChecks: [...(options.admission ?? [])], newUid: defaultUid };
  const discovery = new Discovery(registry);
  setupParsing(app);
  await options.security?.install(app, env);
  registerMetaRoutes(app, discovery);
  registerResourceRoutes(app, { env, discovery, watch: { bookmarkIntervalMs: options.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS, defaultTimeoutMs: 30 * 60_000 } });
  registerOpenApiRoutes(app, registry, { crdSchema: (r) => custom.schema(r) });
  await ensureNamespaces(env);
  await custom.start(env);
  const gc = new GarbageCollector(env, { intervalMs: options.gcIntervalMs ?? 10_000 });
  gc.start();
  await app.ready();
  return {
    app,
    registry,
    env,
    gc,
    async close() {
      gc.stop();
      await app.close();
    },
  };
}

function setupParsing(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(PROTOBUF, { parseAs: "buffer", bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
    try {
      done(null, JSON.stringify(decodeProtobuf(Buffer.isBuffer(body) ? body : Buffer.from(body))));
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)), undefined);
    }
  });
  app.setErrorHandler((err, _request, reply) => {
    const status = toStatus(err);
    return reply.code(status.code).send(status);
  });
  app.setNotFoundHandler((_request, reply) => {
    const status = toStatus(new Error("not found"));
    return reply.code(404).send({ ...status, message: "the server could not find the requested resource", reason: "NotFound", code: 404 });
  });
}

function registerMetaRoutes(app: FastifyInstance, discovery: Discovery): void {
  const aggregated = (core: boolean) => async (request: { headers: { accept?: string } }, reply: import("fastify").FastifyReply) => {
    const version = acceptsAggregated(request.headers.accept);
    if (!version) return sendDoc(reply, core ? discovery.apiVersions() : discovery.groupList());
    const apiVersion = `apidiscovery.k8s.io/${version}`;
    return reply
      .code(200)
      .header("content-type", `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`)
      .header("vary", "Accept")
      .send(discovery.aggregated({ core, apiVersion }));
  };
  app.get("/api", aggregated(true));
  app.get("/apis", aggregated(false));
  app.get("/api/v1", (_req, reply) => sendDoc(reply, discovery.resourceList("", "v1")));
  app.get("/version", (_req, reply) => sendDoc(reply, versionInfo()));
  for (const path of ["/healthz", "/livez", "/readyz"]) {
    app.get(path, (_req, reply) => reply.code(200).header("content-type", "text/plain; charset=utf-8").send("ok"));
  }
}
