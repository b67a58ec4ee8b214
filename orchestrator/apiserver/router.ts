// REST routing: /api/v1/... and /apis/G/V/... paths parsed into (resource, namespace, name,
// subresource) and dispatched to one handler per verb. Errors become Status objects here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiEnv, ApiRequest } from "./context.js";
import { mediaType } from "./body.js";
import { PROTOBUF } from "./protobuf.js";
import type { Discovery } from "./discovery.js";
import { methodNotAllowed, notFound } from "./errors.js";
import { deleteCollection, deleteHandler } from "./handlers/delete.js";
import { patchObject } from "./handlers/patch.js";
import { getObject, listObjects } from "./handlers/read.js";
import type { HandlerResult } from "./handlers/result.js";
import { watchObjects, type WatchSettings } from "./handlers/watch.js";
import { createObject, updateObject } from "./handlers/write.js";
import { toStatus } from "./status.js";
import type { ResourceInfo, Verb } from "./types.js";

interface Target {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const NOT_FOUND = "the server could not find the requested resource";

/** Resolves the path segments after /api/v1 or /apis/G/V. */
export function resolveTarget(env: ApiEnv, group: string, version: string, segs: string[]): Target {
  const lookup = (resource: string) => env.registry.lookup(group, version, resource);
  if (segs[0] === "namespaces" && segs.length >= 3) {
    const info = lookup(segs[2]);
    if (info?.namespaced) {
      if (segs.length > 5 || (segs[4] !== undefined && !(info.subresources ?? []).includes(segs[4]))) throw notFound(NOT_FOUND);
      return { info, namespace: segs[1], name: segs[3], subresource: segs[4] };
    }
  }
  const info = lookup(segs[0] ?? "");
  if (!info || segs.length > 3) throw notFound(NOT_FOUND);
  if (info.namespaced && segs.length > 1) throw notFound(NOT_FOUND);
  if (segs[2] !== undefined && !(info.subresources ?? []).includes(segs[2])) throw notFound(NOT_FOUND);
  return { info, name: segs[1], subresource: segs[2] };
}

function flatQuery(q: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof q !== "object" || q === null) return out;
  for (const [k, v] of Object.entries(q)) out[k] = Array.isArray(v) ? String(v[0]) : String(v);
  return out;
}

function verbOf(method: string, t: Target, query: Record<string, string>): Verb {
  switch (method) {
    case "GET":
      if (query.watch === "1" || query.watch === "true") return "watch";
      return t.name ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return t.name ? "delete" : "deletecollection";
    default:
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
}

const HANDLERS: Record<Exclude<Verb, "watch">, (env: ApiEnv, req: ApiRequest) => Promise<HandlerResult>> = {
  get: getObject,
  list: listObjects,
  create: createObject,
  update: updateObject,
  patch: patchObject,
  delete: deleteHandler,
  deletecollection: deleteCollection,
};

export interface RouteOptions {
  env: ApiEnv;
  discovery: Discovery;
  watch: WatchSettings;
}

export function registerResourceRoutes(app: FastifyInstance, options: RouteOptions): void {
  const { env } = options;
  const serve = async (request: FastifyRequest, reply: FastifyReply, group: string, version: string, segs: string[]) => {
    let target: Target | undefined;
    try {
      target = resolveTarget(env, group, version, segs);
      const query = flatQuery(request.query);
      const verb = verbOf(request.method, target, query);
      const subVerbOk = target.subresource !== undefined || (target.name !== undefined && verb === "create");
      if (!subVerbOk && !target.info.verbs.includes(verb)) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
      const req: ApiRequest = {
        info: target.info,
        namespace: target.namespace,
        name: target.name,
        subresource: target.subresource,
        query,
        body: typeof request.body === "string" ? request.body : undefined,
        contentType: mediaType(request.headers["content-type"]) === PROTOBUF ? "application/json" : request.headers["content-type"],
        accept: request.headers.accept,
        userAgent: request.headers["user-agent"],
        user: request.user,
        warnings: [],
      };
      if (verb === "watch") {
        reply.hijack();
        try {
          await watchObjects(env, req, reply.raw, options.watch);
        } catch (err) {
          if (!reply.raw.headersSent) sendStatus(reply.raw, toStatus(err, detailsOf(target)));
          else reply.raw.end();
        }
        return;
      }
      const result = await HANDLERS[verb](env, req);
      const warnings = req.warnings ?? [];
      // RFC 7234 warn-code 299, agent "-", as kube-apiserver writes them; kubectl prints "Warning: <text>".
      if (warnings.length > 0) reply.header("warning", warnings.map((w) => `299 - ${JSON.stringify(w)}`));
      if (result.json !== undefined) return reply.code(result.code).header("content-type", "application/json").send(result.json);
      return reply.code(result.code).send(result.body);
    } catch (err) {
      const status = toStatus(err, target ? detailsOf(target) : {});
      return reply.code(status.code).send(status);
    }
  };
  app.all("/api/v1/*", (request, reply) => serve(request, reply, "", "v1", segments(request)));
  app.all("/apis/*", (request, reply) => {
    const segs = segments(request);
    if (segs.length === 1) return sendDoc(reply, options.discovery.group(segs[0]));
    if (segs.length === 2) return sendDoc(reply, options.discovery.resourceList(segs[0], segs[1]));
    return serve(request, reply, segs[0], segs[1], segs.slice(2));
  });
}

function segments(request: FastifyRequest): string[] {
  const params = request.params;
  const rest = typeof params === "object" && params !== null && "*" in params ? String(params["*"]) : "";
  return rest.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
}

function detailsOf(t: Target): { group: string; kind: string; name?: string } {
  return { group: t.info.group, kind: t.info.resource, name: t.name };
}

export function sendDoc(reply: FastifyReply, doc: unknown): FastifyReply {
  if (doc === undefined) {
    const status = toStatus(notFound(NOT_FOUND));
    return reply.code(404).send(status);
  }
  return reply.code(200).header("content-type", "application/json").send(doc);
}

function sendStatus(raw: FastifyReply["raw"], status: ReturnType<typeof toStatus>): void {
  raw.writeHead(status.code, { "Content-Type": "application/json" });
  raw.end(JSON.stringify(status));
}
