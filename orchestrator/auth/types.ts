// The request-security contract of the API server, in Kubernetes' shapes: authentication
// turns a request into a user (or none), authorization decides on request attributes. The
// API server runs authn → impersonation → authz before any handler; each side is pluggable.
import type { IncomingHttpHeaders } from "node:http";
import type { TLSSocket } from "node:tls";

/** Kubernetes' user.Info. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** What an authenticator sees of a request. */
export interface AuthnRequest {
  headers: IncomingHttpHeaders;
  /** Present on HTTPS connections; the peer certificate is verified against the cluster CA. */
  socket?: TLSSocket;
}

export type AuthnResult =
  | { kind: "authenticated"; user: UserInfo }
  /** This authenticator does not recognise the credential; try the next one. */
  | { kind: "no-opinion" }
  /** A credential was presented and is invalid (expired token, bad signature): 401. */
  | { kind: "rejected"; reason: string };

export interface Authenticator {
  authenticate(request: AuthnRequest): Promise<AuthnResult>;
}

/** Kubernetes' authorizer.Attributes. */
export interface AuthzAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection, impersonate, bind, escalate, use, … */
  verb: string;
  /** True for /api/... and /apis/... requests; false for non-resource URLs like /healthz. */
  resourceRequest: boolean;
  /** For non-resource requests: the URL path. */
  path?: string;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface AuthzDecision {
  allowed: boolean;
  /** Why (the matching binding / role), or why not; shown in 403 messages and audit. */
  reason: string;
}

export interface Authorizer {
  authorize(attributes: AuthzAttributes): Promise<AuthzDecision>;
}
