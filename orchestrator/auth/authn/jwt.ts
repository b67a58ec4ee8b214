// Compact JWS (JWT) signing and verification with Node's crypto: ES256 (P-256, the key berth
// makes) or RS256 (an RSA key an operator supplies). Only what ServiceAccount tokens need.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

export type JwtAlgorithm = "ES256" | "RS256";

export interface JwtKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  algorithm: JwtAlgorithm;
  /** Key id: base64url SHA-256 of the public key's DER, as Kubernetes derives it. */
  kid: string;
}

export type JwtClaims = Record<string, unknown>;

export function jwtKeyFromPem(privateKeyPem: string): JwtKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const type = privateKey.asymmetricKeyType;
  if (type !== "ec" && type !== "rsa") throw new Error(`service account key: expected an EC (P-256) or RSA key, got ${String(type)}`);
  const der = publicKey.export({ type: "spki", format: "der" });
  return { privateKey, publicKey, algorithm: type === "ec" ? "ES256" : "RS256", kid: createHash("sha256").update(der).digest("base64url") };
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

function signatureOptions(key: KeyObject, algorithm: JwtAlgorithm): { key: KeyObject; dsaEncoding?: "ieee-p1363" } {
  // JWS wants the raw r||s form for ECDSA, not DER.
  return algorithm === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : { key };
}

export function signJwt(claims: JwtClaims, key: JwtKey): string {
  const input = `${encodeJson({ alg: key.algorithm, kid: key.kid })}.${encodeJson(claims)}`;
  const signature = sign("sha256", Buffer.from(input), signatureOptions(key.privateKey, key.algorithm));
  return `${input}.${signature.toString("base64url")}`;
}

/** bad-signature still carries the (unverified) claims so a caller can tell whose token it is. */
export type JwtVerification = { kind: "not-jwt" } | { kind: "bad-signature"; claims: JwtClaims } | { kind: "valid"; claims: JwtClaims };

function parseJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : undefined;
  } catch {
    return undefined;
  }
}

/** Checks shape and signature only; the caller checks claims (issuer, expiry, audience). */
export function verifyJwt(token: string, key: Pick<JwtKey, "publicKey" | "algorithm">): JwtVerification {
  const parts = token.split(".");
  if (parts.length !== 3) return { kind: "not-jwt" };
  const [headerPart = "", claimsPart = "", signaturePart = ""] = parts;
  const header = parseJsonObject(headerPart);
  const claims = parseJsonObject(claimsPart);
  if (!header || !claims) return { kind: "not-jwt" };
  if (header.alg !== key.algorithm) return { kind: "bad-signature", claims };
  const ok = verify("sha256", Buffer.from(`${headerPart}.${claimsPart}`), signatureOptions(key.publicKey, key.algorithm), Buffer.from(signaturePart, "base64url"));
  return ok ? { kind: "valid", claims } : { kind: "bad-signature", claims };
}
