// The OpenAPI endpoints. Content negotiation follows kube-apiserver where it matters to
// clients: kubectl asks /openapi/v2 for protobuf first; we serve JSON only, so a request
// that accepts nothing but protobuf gets 406 and client-go falls back (kubectl 1.27+ uses
// /openapi/v3 for validation, apply and explain). Documents carry an ETag; a v3
// group-version URL with a stale `?hash=` is redirected to the current one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "../errors.js";
import type { ResourceRegistry } from "../registry.js";
import { toStatus } from "../status.js";
import { OpenApiDocuments, type OpenApiOptions, type RenderedDocument } from "./documents.js";

const PROTO_V2 = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

function accepts(accept: string | undefined, type: string): boolean {
  return (accept ?? "").split(",").some((part) => part.split(";")[0].trim().toLowerCase() === type);
}

function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(",").some((part) => {
    const type = part.split(";")[0].trim().toLowerCase();
    return type === "application/json" || type === "*/*" || type === "application/*" || type === "";
  });
}

function notAcceptable(reply: FastifyReply, accept: string): FastifyReply {
  const err = new ApiError(406, "NotAcceptable", `only the following media types are accepted: application/json (requested: ${accept})`);
  return reply.code(406).type("application/json").send(toStatus(err));
}

function sendDocument(request: FastifyRequest, reply: FastifyReply, doc: RenderedDocument, immutable: boolean): FastifyReply {
  const etag = `"${doc.hash}"`;
  reply.header("etag", etag).header("vary", "Accept");
  reply.header("cache-control", immutable ? "public, immutable" : "no-cache, private");
  if (request.headers["if-none-match"] === etag) return reply.code(304).send();
  return reply.code(200).type("application/json").send(doc.body);
}

function notFound(reply: FastifyReply, path: string): FastifyReply {
  const err = new ApiError(404, "NotFound", `the server could not find the requested resource (openapi ${path})`);
  return reply.code(404).type("application/json").send(toStatus(err));
}

/** Mounts /openapi/v2, /openapi/v3 and /openapi/v3/<api|apis>/...; returns the document cache. */
export function registerOpenApiRoutes(app: FastifyInstance, registry: ResourceRegistry, options: OpenApiOptions = {}): OpenApiDocuments {
  const docs = new OpenApiDocuments(registry, options);
  app.addHook("onClose", async () => docs.close());

  app.get("/openapi/v2", async (request, reply) => {
    const accept = request.headers.accept;
    if (accepts(accept, PROTO_V2) && !acceptsJson(accept)) {
      // An empty message is a valid (empty) gnostic Document: client-go parses it and its
      // v2 field-validation probe finds no path for the kind, so kubectl goes on to report
      // what really is wrong ("no matches for kind") instead of "failed to download openapi".
      // fastify's media-type parser rejects the "@" in this type, so write the reply directly.
      reply.hijack();
      // kube-apiserver answers with "." where the request had "@": Go's mime parser rejects "@".
      reply.raw.writeHead(200, { "content-type": PROTO_V2.replace("@", "."), "content-length": "0", vary: "Accept" });
      reply.raw.end();
      return reply;
    }
    if (!acceptsJson(accept)) return notAcceptable(reply, accept ?? "");
    return sendDocument(request, reply, docs.v2(), false);
  });

  app.get("/openapi/v3", async (request, reply) => {
    const accept = request.headers.accept;
    if (!acceptsJson(accept)) return notAcceptable(reply, accept ?? "");
    return sendDocument(request, reply, docs.v3Index(), false);
  });

  app.get<{ Params: { "*": string }; Querystring: { hash?: string } }>("/openapi/v3/*", async (request, reply) => {
    const accept = request.headers.accept;
    if (!acceptsJson(accept)) return notAcceptable(reply, accept ?? "");
    const path = request.params["*"].replace(/\/+$/, "");
    const doc = docs.v3(path);
    if (!doc) return notFound(reply, path);
    const hash = request.query.hash;
    if (hash !== undefined && hash !== doc.hash) {
      return reply.code(301).header("location", `/openapi/v3/${path}?hash=${doc.hash}`).send();
    }
    return sendDocument(request, reply, doc, hash !== undefined);
  });
  return docs;
}
