// authentication.k8s.io reviews, computed and never stored: SelfSubjectReview (who am I? —
// what `kubectl auth whoami` sends, v1 and v1beta1) and TokenReview (who does this bearer token
// belong to? — what webhook authenticators and aggregated servers ask). The pipeline has
// already authenticated and authorized the caller; the resources are added to the registry so
// discovery lists them and kubectl finds them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { mediaType, parseObject } from "../apiserver/body.js";
import type { ApiEnv } from "../apiserver/context.js";
import { badRequest, fieldCause, InvalidError } from "../apiserver/errors.js";
import { isObject, str, type JsonObject } from "../apiserver/object.js";
import { PROTOBUF } from "../apiserver/protobuf.js";
import { toStatus } from "../apiserver/status.js";
import type { ResourceInfo } from "../apiserver/types.js";
import type { Authenticator, UserInfo } from "./types.js";

export const AUTHENTICATION_GROUP = "authentication.k8s.io";
const SELF_SUBJECT_REVIEW_VERSIONS = ["v1", "v1beta1"];

function resource(kind: string, version: string): ResourceInfo {
  const resource = `${kind.toLowerCase()}s`;
  return { group: AUTHENTICATION_GROUP, version, kind, listKind: `${kind}List`, resource, singular: kind.toLowerCase(), namespaced: false, verbs: ["create"] };
}

export const AUTHENTICATION_RESOURCES: ResourceInfo[] = [
  ...SELF_SUBJECT_REVIEW_VERSIONS.map((v) => resource("SelfSubjectReview", v)),
  resource("TokenReview", "v1"),
];

/** Kubernetes timestamps have second precision. */
function nowIso(env: ApiEnv): string {
  return new Date(Math.floor(env.clock.now() / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** authentication.k8s.io UserInfo, in the field order Kubernetes writes it; empty fields left out. */
export function userInfoJson(user: UserInfo): JsonObject {
  const out: JsonObject = { username: user.username };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length > 0) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) out.extra = Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]]));
  return out;
}

/** The body as an object of `kind` in `apiVersion`; a 400 naming what is wrong otherwise. */
function readBody(request: FastifyRequest, kind: string, apiVersion: string): JsonObject {
  // Protobuf bodies (what kubectl sends) arrive already decoded to JSON text by the server.
  const type = mediaType(request.headers["content-type"]) === PROTOBUF ? "application/json" : request.headers["content-type"];
  const body = parseObject(typeof request.body === "string" ? request.body : undefined, type);
  if (body.kind !== undefined && body.kind !== kind) throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${kind})`);
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (body.status !== undefined && body.status !== null && !isObject(body.status)) throw badRequest(`${kind}.status: expected an object, got ${JSON.stringify(body.status)}`);
  if (body.spec !== undefined && body.spec !== null && !isObject(body.spec)) throw badRequest(`${kind}.spec: expected an object, got ${JSON.stringify(body.spec)}`);
  return body;
}

type Handler = (body: JsonObject, request: FastifyRequest) => Promise<JsonObject>;

function serve(env: ApiEnv, info: ResourceInfo, handle: Handler) {
  const apiVersion = `${info.group}/${info.version}`;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const answer = await handle(readBody(request, info.kind, apiVersion), request);
      const metadata = isObject(answer.metadata) ? answer.metadata : {};
      const out = { kind: info.kind, apiVersion, ...answer, metadata: { ...metadata, creationTimestamp: metadata.creationTimestamp ?? nowIso(env) } };
      return reply.code(201).header("content-type", "application/json").send(out);
    } catch (err) {
      const status = toStatus(err, { group: info.group, kind: info.resource });
      return reply.code(status.code).header("content-type", "application/json").send(status);
    }
  };
}

function selfSubjectReview(): Handler {
  return async (_body, request) => {
    // Impersonated requests see the impersonated user, as in Kubernetes.
    if (!request.user) throw badRequest("no user present on request");
    return { metadata: {}, status: { userInfo: userInfoJson(request.user) } };
  };
}

function tokenReview(authenticator: Authenticator): Handler {
  return async (body) => {
    const spec = isObject(body.spec) ? body.spec : {};
    const token = str(spec.token) ?? "";
    if (token === "") throw new InvalidError("TokenReview", "", [fieldCause("FieldValueRequired", "spec.token", "Required value: token must not be empty")]);
    const result = await authenticator.authenticate({ headers: { authorization: `Bearer ${token}` } });
    const status: JsonObject =
      result.kind === "authenticated"
        ? { authenticated: true, user: userInfoJson(result.user) }
        : { user: {}, error: result.kind === "rejected" ? result.reason : "invalid bearer token" };
    return { metadata: isObject(body.metadata) ? { ...body.metadata } : {}, spec: { ...spec }, status };
  };
}

export interface AuthenticationReviewOptions {
  env: ApiEnv;
  /** Checks TokenReview tokens: the bearer-token authenticators of the API server. */
  tokenAuthenticator: Authenticator;
}

/** Serves SelfSubjectReview (v1, v1beta1) and TokenReview (v1) and registers them for discovery. */
export function registerAuthenticationReviewRoutes(app: FastifyInstance, options: AuthenticationReviewOptions): void {
  const { env } = options;
  for (const info of AUTHENTICATION_RESOURCES) {
    const handle = info.kind === "TokenReview" ? tokenReview(options.tokenAuthenticator) : selfSubjectReview();
    app.post(`/apis/${info.group}/${info.version}/${info.resource}`, serve(env, info, handle));
  }
  if (!env.registry.lookup(AUTHENTICATION_GROUP, "v1", "selfsubjectreviews")) env.registry.add(AUTHENTICATION_RESOURCES, { preferredVersion: "v1" });
}
