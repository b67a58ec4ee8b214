// Puts the security pieces together for the API server: the authenticator chain (client
// certificates, token file, ServiceAccount tokens), the authorizer, the pipeline hook, the
// audit log, the TokenRequest route and the authentication reviews (SelfSubjectReview,
// TokenReview). createApiServer installs it ahead of every route.
import type { FastifyInstance } from "fastify";
import type { Clock } from "../../core/clock.js";
import type { ApiEnv } from "../apiserver/context.js";
import { isObject } from "../apiserver/object.js";
import type { AuditSink } from "./audit.js";
import { jwtKeyFromPem } from "./authn/jwt.js";
import { createServiceAccountAuthenticator, ServiceAccountTokens, type ServiceAccountLookup } from "./authn/serviceAccount.js";
import { createTokenFileAuthenticator, type TokenEntry } from "./authn/tokenFile.js";
import { unionAuthenticator } from "./authn/union.js";
import { createX509Authenticator } from "./authn/x509.js";
import { registerAuthenticationReviewRoutes } from "./authenticationReviews.js";
import { registerAuthPipeline } from "./pipeline.js";
import { registerTokenRequestRoute, SERVICE_ACCOUNTS } from "./tokenRequest.js";
import type { Authorizer } from "./types.js";

export interface AuthPluginOptions {
  clock: Clock;
  /** PEM private key (EC P-256 or RSA) that signs and verifies ServiceAccount tokens. */
  serviceAccountKeyPem: string;
  /** Static bearer tokens (Kubernetes' token file), default none. */
  tokenFile?: TokenEntry[];
  /** Builds the authorizer once the API server's storage exists (RBAC reads roles from it). */
  authorizer(env: ApiEnv): Authorizer | Promise<Authorizer>;
  audit?: AuditSink;
  /** Routes that need the authorizer (SubjectAccessReview & co.), registered after the hook. */
  routes?(app: FastifyInstance, context: { env: ApiEnv; authorizer: Authorizer }): void | Promise<void>;
}

export interface AuthPlugin {
  tokens: ServiceAccountTokens;
  install(app: FastifyInstance, env: ApiEnv): Promise<void>;
}

export function serviceAccountLookup(env: ApiEnv): ServiceAccountLookup {
  return async (namespace, name) => {
    const account = await env.storage.tryGet(SERVICE_ACCOUNTS, { namespace, name });
    const metadata = account && isObject(account.metadata) ? account.metadata : undefined;
    return typeof metadata?.uid === "string" ? { uid: metadata.uid } : undefined;
  };
}

export function createAuthPlugin(options: AuthPluginOptions): AuthPlugin {
  const tokens = new ServiceAccountTokens({ key: jwtKeyFromPem(options.serviceAccountKeyPem), clock: options.clock });
  return {
    tokens,
    async install(app, env) {
      const authorizer = await options.authorizer(env);
      const bearer = [createTokenFileAuthenticator(options.tokenFile ?? []), createServiceAccountAuthenticator(tokens, serviceAccountLookup(env))];
      const authenticator = unionAuthenticator([createX509Authenticator(), ...bearer]);
      registerAuthPipeline(app, { authenticator, authorizer, audit: options.audit });
      registerTokenRequestRoute(app, { env, tokens });
      registerAuthenticationReviewRoutes(app, { env, tokenAuthenticator: unionAuthenticator(bearer) });
      await options.routes?.(app, { env, authorizer });
    },
  };
}
