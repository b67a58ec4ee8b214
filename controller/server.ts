// The controller's HTTP server: /metrics (prom-client), /healthz, and whatever routes the
// caller mounts (the webhook receiver, hosted git repositories).
import Fastify, { type FastifyInstance } from "fastify";
import type { ControllerMetrics } from "./metrics.js";

export interface ControllerServerOptions {
  metrics: ControllerMetrics;
  /** Mounts more routes before the server listens. */
  routes?: (app: FastifyInstance) => void | Promise<void>;
}

export async function createControllerServer(options: ControllerServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get("/healthz", async () => "ok");
  app.get("/metrics", async (_request, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.header("content-type", options.metrics.registry.contentType).send(body);
  });
  await options.routes?.(app);
  return app;
}
