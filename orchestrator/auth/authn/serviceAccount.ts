// ServiceAccount tokens as Kubernetes issues them (bound tokens from TokenRequest): a JWT with
// iss, sub=system:serviceaccount:NS:NAME, aud, exp, iat, nbf, jti and the kubernetes.io claim.
// A token is valid while unexpired, for one of the server's audiences, and while its
// ServiceAccount still exists with the same uid (deleting the account revokes its tokens).
import { randomUUID } from "node:crypto";
import type { Clock } from "../../../core/clock.js";
import type { Authenticator, AuthnRequest, AuthnResult, UserInfo } from "../types.js";
import { bearerToken } from "./bearer.js";
import { signJwt, verifyJwt, type JwtClaims, type JwtKey } from "./jwt.js";

export const DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

/** Reads a ServiceAccount's uid from the store; undefined when it does not exist. */
export type ServiceAccountLookup = (namespace: string, name: string) => Promise<{ uid: string } | undefined>;

export interface ServiceAccountTokenOptions {
  key: JwtKey;
  clock: Clock;
  /** Default DEFAULT_ISSUER. */
  issuer?: string;
  /** Audiences the API server accepts (default [issuer]). */
  audiences?: string[];
}

export interface IssueTokenOptions {
  audiences?: string[];
  expirationSeconds: number;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export function serviceAccountUser(account: ServiceAccountRef, jti?: string): UserInfo {
  const user: UserInfo = {
    username: serviceAccountUsername(account.namespace, account.name),
    uid: account.uid,
    groups: ["system:serviceaccounts", `system:serviceaccounts:${account.namespace}`],
  };
  if (jti) user.extra = { "authentication.kubernetes.io/credential-id": [`JTI=${jti}`] };
  return user;
}

export class ServiceAccountTokens {
  readonly issuer: string;
  readonly audiences: string[];

  constructor(private readonly options: ServiceAccountTokenOptions) {
    this.issuer = options.issuer ?? DEFAULT_ISSUER;
    this.audiences = options.audiences ?? [this.issuer];
  }

  /** Returns the token and its expiry (ms since the epoch). */
  issue(account: ServiceAccountRef, options: IssueTokenOptions): { token: string; expiresAt: number } {
    const now = Math.floor(this.options.clock.now() / 1000);
    const exp = now + options.expirationSeconds;
    const claims: JwtClaims = {
      aud: options.audiences && options.audiences.length > 0 ? options.audiences : this.audiences,
      exp,
      iat: now,
      iss: this.issuer,
      jti: randomUUID(),
      "kubernetes.io": { namespace: account.namespace, serviceaccount: { name: account.name, uid: account.uid } },
      nbf: now,
      sub: serviceAccountUsername(account.namespace, account.name),
    };
    return { token: signJwt(claims, this.options.key), expiresAt: exp * 1000 };
  }

  /** Verifies signature and claims; the account's existence is the authenticator's check. */
  verify(token: string): { kind: "not-ours" } | { kind: "rejected"; reason: string } | { kind: "valid"; account: ServiceAccountRef; jti?: string } {
    const verified = verifyJwt(token, this.options.key);
    if (verified.kind === "not-jwt") return { kind: "not-ours" };
    const claims = verified.claims;
    // A JWT from another issuer is someone else's credential: let the next authenticator try.
    if (claims.iss !== this.issuer) return { kind: "not-ours" };
    if (verified.kind === "bad-signature") return { kind: "rejected", reason: "invalid bearer token, square/go-jose: error in cryptographic primitive" };
    const now = this.options.clock.now() / 1000;
    if (typeof claims.exp !== "number" || claims.exp <= now) return { kind: "rejected", reason: "invalid bearer token, service account token has expired" };
    if (typeof claims.nbf === "number" && claims.nbf > now + 60) return { kind: "rejected", reason: "invalid bearer token, service account token is not valid yet" };
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => typeof a === "string" && this.audiences.includes(a))) return { kind: "rejected", reason: "invalid bearer token, token audiences is invalid for the target audiences" };
    const account = accountOf(claims);
    if (!account) return { kind: "rejected", reason: "invalid bearer token, service account token claims are malformed" };
    return { kind: "valid", account, jti: typeof claims.jti === "string" ? claims.jti : undefined };
  }
}

function accountOf(claims: JwtClaims): ServiceAccountRef | undefined {
  const k = claims["kubernetes.io"];
  if (typeof k !== "object" || k === null || !("namespace" in k) || !("serviceaccount" in k)) return undefined;
  const sa = k.serviceaccount;
  if (typeof k.namespace !== "string" || typeof sa !== "object" || sa === null || !("name" in sa) || !("uid" in sa)) return undefined;
  if (typeof sa.name !== "string" || typeof sa.uid !== "string") return undefined;
  if (claims.sub !== serviceAccountUsername(k.namespace, sa.name)) return undefined;
  return { namespace: k.namespace, name: sa.name, uid: sa.uid };
}

export function createServiceAccountAuthenticator(tokens: ServiceAccountTokens, lookup: ServiceAccountLookup): Authenticator {
  return {
    async authenticate(request: AuthnRequest): Promise<AuthnResult> {
      const token = bearerToken(request);
      if (token === undefined) return { kind: "no-opinion" };
      const result = tokens.verify(token);
      if (result.kind === "not-ours") return { kind: "no-opinion" };
      if (result.kind === "rejected") return result;
      const { namespace, name, uid } = result.account;
      const current = await lookup(namespace, name);
      if (!current) return { kind: "rejected", reason: `invalid bearer token, serviceaccounts "${name}" not found` };
      if (current.uid !== uid) return { kind: "rejected", reason: `invalid bearer token, the UID in the bound object reference (${uid}) does not match the UID in record. The object might have been deleted and then recreated` };
      return { kind: "authenticated", user: serviceAccountUser(result.account, result.jti) };
    },
  };
}
