// The request-security pipeline, one fastify onRequest hook ahead of every route:
// authenticate → impersonate → RequestInfo → authorize, answering 401 / 403 as kube-apiserver
// does; the effective user is attached to the request (request.user) for handlers, and every
// request leaves one audit line when its response ends.
import { TLSSocket } from "node:tls";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AuditEvent, AuditSink } from "./audit.js";
import { bearerToken } from "./authn/bearer.js";
import { ANONYMOUS_USER, impersonate, UNAUTHENTICATED_GROUP, type DistinctHeaders } from "./impersonation.js";
import { parseRequestInfo, splitUrl } from "./requestInfo.js";
import { forbiddenStatus, unauthorizedStatus, type AuthStatus } from "./status.js";
import type { Authenticator, Authorizer, AuthzAttributes, UserInfo } from "./types.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The user the request runs as (after impersonation); set by the auth pipeline. */
    user?: UserInfo;
    /** What the pipeline decided, for the audit line. */
    authAudit?: Omit<AuditEvent, "code">;
  }
}

/** Non-resource paths anonymous callers may GET, as Kubernetes' system:public-info-viewer. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/healthz", "/livez", "/readyz", "/version"]);

export interface AuthPipelineOptions {
  authenticator: Authenticator;
  authorizer: Authorizer;
  audit?: AuditSink;
}

type Step = { kind: "continue"; user: UserInfo; realUser: UserInfo } | { kind: "stop"; status: AuthStatus; audit: Omit<AuditEvent, "code"> };

const ANONYMOUS: UserInfo = { username: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] };

export function registerAuthPipeline(app: FastifyInstance, options: AuthPipelineOptions): void {
  app.decorateRequest("user", undefined);
  app.decorateRequest("authAudit", undefined);
  app.addHook("onRequest", async (request, reply) => {
    const step = await identify(request, options);
    if (step.kind === "stop") return deny(request, reply, step);
    const info = parseRequestInfo(splitUrl(request.method, request.url));
    const attributes: AuthzAttributes = { ...info, user: step.user };
    const decision = await options.authorizer.authorize(attributes);
    const audit = auditOf(step.realUser, attributes, decision.allowed, decision.reason);
    if (!decision.allowed) return deny(request, reply, { status: forbiddenStatus(attributes), audit });
    request.user = step.user;
    request.authAudit = audit;
    return undefined;
  });
  const sink = options.audit;
  if (sink) {
    app.addHook("onResponse", async (request, reply) => {
      if (request.authAudit) sink.write({ ...request.authAudit, code: reply.statusCode });
    });
  }
}

async function deny(request: FastifyRequest, reply: FastifyReply, step: { status: AuthStatus; audit: Omit<AuditEvent, "code"> }): Promise<FastifyReply> {
  request.authAudit = step.audit;
  return reply.code(step.status.code).header("content-type", "application/json").send(step.status);
}

async function identify(request: FastifyRequest, options: AuthPipelineOptions): Promise<Step> {
  const socket = request.raw.socket instanceof TLSSocket ? request.raw.socket : undefined;
  const result = await options.authenticator.authenticate({ headers: request.headers, socket });
  const path = splitUrl(request.method, request.url).path;
  if (result.kind === "rejected") return { kind: "stop", status: unauthorizedStatus(), audit: unauthenticatedAudit(request, path, result.reason) };
  // A bearer token nobody recognises is a bad credential, not an anonymous request.
  if (result.kind === "no-opinion" && bearerToken({ headers: request.headers }) !== undefined) {
    return { kind: "stop", status: unauthorizedStatus(), audit: unauthenticatedAudit(request, path, "invalid bearer token") };
  }
  if (result.kind === "no-opinion") {
    // Anonymous callers reach the public health and version paths and nothing else: 401,
    // not 403, so a client without credentials learns it needs some.
    const isPublic = (request.method === "GET" || request.method === "HEAD") && PUBLIC_PATHS.has(path);
    if (!isPublic) return { kind: "stop", status: unauthorizedStatus(), audit: unauthenticatedAudit(request, path, "no credentials") };
    return { kind: "continue", user: ANONYMOUS, realUser: ANONYMOUS };
  }
  const real = result.user;
  const impersonation = await impersonate(real, distinctHeaders(request.raw.rawHeaders), options.authorizer);
  if (impersonation.kind === "none") return { kind: "continue", user: real, realUser: real };
  if (impersonation.kind === "refused") {
    const info = parseRequestInfo(splitUrl(request.method, request.url));
    return { kind: "stop", status: impersonation.status, audit: auditOf(real, { ...info, user: real }, false, `impersonation refused: ${impersonation.reason}`) };
  }
  return { kind: "continue", user: impersonation.user, realUser: real };
}

/** Every value of each header, from the raw name/value list (repeated Impersonate-Group lines stay apart). */
function distinctHeaders(rawHeaders: string[]): DistinctHeaders {
  const out: DistinctHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    (out[name] ??= []).push(rawHeaders[i + 1] ?? "");
  }
  return out;
}

function unauthenticatedAudit(request: FastifyRequest, path: string, reason: string): Omit<AuditEvent, "code"> {
  return { user: "", groups: [], verb: request.method.toLowerCase(), path, decision: "deny", reason: `authentication failed: ${reason}` };
}

function auditOf(realUser: UserInfo, attributes: AuthzAttributes, allowed: boolean, reason: string): Omit<AuditEvent, "code"> {
  const event: Omit<AuditEvent, "code"> = { user: realUser.username, groups: realUser.groups, verb: attributes.verb, decision: allowed ? "allow" : "deny", reason };
  if (attributes.user.username !== realUser.username) event.impersonatedUser = attributes.user.username;
  if (attributes.resourceRequest) {
    event.objectRef = { apiGroup: attributes.apiGroup ?? "", apiVersion: attributes.apiVersion ?? "", resource: attributes.resource ?? "" };
    if (attributes.subresource) event.objectRef.subresource = attributes.subresource;
    if (attributes.namespace) event.objectRef.namespace = attributes.namespace;
    if (attributes.name) event.objectRef.name = attributes.name;
  } else {
    event.path = attributes.path;
  }
  return event;
}
