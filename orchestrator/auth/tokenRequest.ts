// TokenRequest: POST /api/v1/namespaces/NS/serviceaccounts/NAME/token issues a bound
// ServiceAccount token (what `kubectl create token NAME [--duration]` calls). The pipeline has
// already authorized `create serviceaccounts/token`; this checks the account and the spec.
import type { FastifyInstance } from "fastify";
import { parseObject } from "../apiserver/body.js";
import type { ApiEnv } from "../apiserver/context.js";
import { badRequest, fieldCause, InvalidError, notFound } from "../apiserver/errors.js";
import { isObject, type JsonObject } from "../apiserver/object.js";
import { PROTOBUF } from "../apiserver/protobuf.js";
import type { ServiceAccountTokens } from "./authn/serviceAccount.js";

export const SERVICE_ACCOUNTS = { group: "", resource: "serviceaccounts", namespaced: true } as const;
/** Kubernetes' bounds: at least 10 minutes; one hour when unset. */
export const MIN_EXPIRATION_SECONDS = 600;
export const DEFAULT_EXPIRATION_SECONDS = 3600;
const MAX_EXPIRATION_SECONDS = 2 ** 32 - 1;

export interface TokenSpec {
  audiences?: string[];
  expirationSeconds: number;
}

/** Reads and validates TokenRequest.spec; throws a 400 / 422 Status error. */
export function tokenSpec(body: JsonObject, name: string): TokenSpec {
  const spec = body.spec ?? {};
  if (!isObject(spec)) throw badRequest("spec: expected an object");
  const audiences = spec.audiences;
  if (audiences !== undefined && audiences !== null && (!Array.isArray(audiences) || !audiences.every((a) => typeof a === "string"))) {
    throw badRequest("spec.audiences: expected a list of strings");
  }
  const raw = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (typeof raw !== "number" || !Number.isInteger(raw)) throw badRequest("spec.expirationSeconds: expected an integer");
  if (raw < MIN_EXPIRATION_SECONDS || raw > MAX_EXPIRATION_SECONDS) {
    const message = `Invalid value: ${raw}: may not specify a duration less than 10 minutes or more than 2^32 seconds`;
    throw new InvalidError("TokenRequest.authentication.k8s.io", name, [fieldCause("FieldValueInvalid", "spec.expirationSeconds", message)]);
  }
  return { audiences: Array.isArray(audiences) && audiences.length > 0 ? audiences.filter((a) => typeof a === "string") : undefined, expirationSeconds: raw };
}

export interface TokenRequestRouteOptions {
  env: ApiEnv;
  tokens: ServiceAccountTokens;
}

export function registerTokenRequestRoute(app: FastifyInstance, options: TokenRequestRouteOptions): void {
  app.post<{ Params: { namespace: string; name: string } }>("/api/v1/namespaces/:namespace/serviceaccounts/:name/token", async (request, reply) => {
    const { namespace, name } = request.params;
    const contentType = request.headers["content-type"];
    // The protobuf parser has already turned a protobuf body into JSON text.
    const body = parseObject(typeof request.body === "string" ? request.body : undefined, contentType?.startsWith(PROTOBUF) ? "application/json" : contentType);
    const spec = tokenSpec(body, name);
    const account = await options.env.storage.tryGet(SERVICE_ACCOUNTS, { namespace, name });
    const metadata = account && isObject(account.metadata) ? account.metadata : undefined;
    const uid = typeof metadata?.uid === "string" ? metadata.uid : undefined;
    if (uid === undefined) throw notFound(`serviceaccounts "${name}" not found`, { name });
    const issued = options.tokens.issue({ namespace, name, uid }, spec);
    return reply.code(201).header("content-type", "application/json").send({
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name, namespace, creationTimestamp: null },
      spec: { audiences: spec.audiences ?? options.tokens.audiences, expirationSeconds: spec.expirationSeconds, boundObjectRef: null },
      status: { token: issued.token, expirationTimestamp: new Date(issued.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z") },
    });
  });
}
