import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../../core/clock.js";
import { jwtKeyFromPem, signJwt } from "../../../orchestrator/auth/authn/jwt.js";
import { createServiceAccountAuthenticator, ServiceAccountTokens, type ServiceAccountLookup } from "../../../orchestrator/auth/authn/serviceAccount.js";
import type { AuthnResult } from "../../../orchestrator/auth/types.js";

function pem(type: "ec" | "rsa"): string {
  const { privateKey } = type === "ec" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("rsa", { modulusLength: 2048 });
  return privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

const ROBOT = { namespace: "default", name: "robot", uid: "uid-1" };
const START = Date.UTC(2030, 0, 1);

interface Fixture {
  clock: FakeClock;
  tokens: ServiceAccountTokens;
  accounts: Map<string, string>;
  authenticate(token: string): Promise<AuthnResult>;
}

function fixture(options: { keyType?: "ec" | "rsa" } = {}): Fixture {
  const clock = new FakeClock(START);
  const tokens = new ServiceAccountTokens({ key: jwtKeyFromPem(pem(options.keyType ?? "ec")), clock });
  const accounts = new Map([["default/robot", "uid-1"]]);
  const lookup: ServiceAccountLookup = (ns, name) => {
    const uid = accounts.get(`${ns}/${name}`);
    return Promise.resolve(uid === undefined ? undefined : { uid });
  };
  const authn = createServiceAccountAuthenticator(tokens, lookup);
  return { clock, tokens, accounts, authenticate: (token) => authn.authenticate({ headers: { authorization: `Bearer ${token}` } }) };
}

function claimsOf(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  return typeof value === "object" && value !== null ? { ...value } : {};
}

describe("ServiceAccount tokens", () => {
  it.each(["ec", "rsa"] as const)("issue and verify (%s key) with Kubernetes' claims", async (keyType) => {
    const f = fixture({ keyType });
    const { token, expiresAt } = f.tokens.issue(ROBOT, { expirationSeconds: 600 });
    expect(expiresAt).toBe(START + 600_000);
    const header: unknown = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8"));
    expect(header).toMatchObject({ alg: keyType === "ec" ? "ES256" : "RS256" });
    expect(claimsOf(token)).toMatchObject({
      iss: "https://kubernetes.default.svc.cluster.local",
      sub: "system:serviceaccount:default:robot",
      aud: ["https://kubernetes.default.svc.cluster.local"],
      exp: START / 1000 + 600,
      "kubernetes.io": { namespace: "default", serviceaccount: { name: "robot", uid: "uid-1" } },
    });
    const result = await f.authenticate(token);
    expect(result).toMatchObject({ kind: "authenticated", user: { username: "system:serviceaccount:default:robot", uid: "uid-1", groups: ["system:serviceaccounts", "system:serviceaccounts:default"] } });
  });

  it("works until it expires (FakeClock)", async () => {
    const f = fixture();
    const { token } = f.tokens.issue(ROBOT, { expirationSeconds: 600 });
    f.clock.advance(599_000);
    expect((await f.authenticate(token)).kind).toBe("authenticated");
    f.clock.advance(1_000);
    expect(await f.authenticate(token)).toEqual({ kind: "rejected", reason: "invalid bearer token, service account token has expired" });
  });

  it("rejects a token signed by another key of the same issuer", async () => {
    const f = fixture();
    const other = fixture();
    const { token } = other.tokens.issue(ROBOT, { expirationSeconds: 600 });
    expect(await f.authenticate(token)).toMatchObject({ kind: "rejected" });
  });

  it("rejects a tampered payload", async () => {
    const f = fixture();
    const [h, , s] = f.tokens.issue(ROBOT, { expirationSeconds: 600 }).token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...claimsOf(f.tokens.issue(ROBOT, { expirationSeconds: 600 }).token), sub: "system:serviceaccount:kube-system:admin" })).toString("base64url");
    expect(await f.authenticate(`${h ?? ""}.${forged}.${s ?? ""}`)).toMatchObject({ kind: "rejected" });
  });

  it("rejects a token for another audience", async () => {
    const f = fixture();
    const { token } = f.tokens.issue(ROBOT, { expirationSeconds: 600, audiences: ["vault"] });
    expect(await f.authenticate(token)).toEqual({ kind: "rejected", reason: "invalid bearer token, token audiences is invalid for the target audiences" });
  });

  it("rejects a token whose ServiceAccount was deleted, or deleted and recreated", async () => {
    const f = fixture();
    const { token } = f.tokens.issue(ROBOT, { expirationSeconds: 600 });
    f.accounts.delete("default/robot");
    expect(await f.authenticate(token)).toEqual({ kind: "rejected", reason: 'invalid bearer token, serviceaccounts "robot" not found' });
    f.accounts.set("default/robot", "uid-2");
    expect(await f.authenticate(token)).toMatchObject({ kind: "rejected" });
  });

  it("has no opinion on non-JWT tokens and JWTs of other issuers", async () => {
    const f = fixture();
    const key = jwtKeyFromPem(pem("ec"));
    const foreign = signJwt({ iss: "https://accounts.example", sub: "x", exp: START / 1000 + 600 }, key);
    expect(await f.authenticate("static-token")).toEqual({ kind: "no-opinion" });
    expect(await f.authenticate(foreign)).toEqual({ kind: "no-opinion" });
  });
});
