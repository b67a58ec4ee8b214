// Who is pushing: HTTP Basic with the token as password (what git sends from a URL or a
// credential helper), or a Bearer token. Tokens are compared in constant time and never logged.
import { createHash, timingSafeEqual } from "node:crypto";

export interface TokenVerifier {
  /** The user a token belongs to, or undefined for an unknown token. */
  verify(token: string): string | undefined | Promise<string | undefined>;
}

/** A fixed token → user table; every entry is compared, so timing does not reveal which matched. */
export function staticTokens(table: Record<string, string>): TokenVerifier {
  const entries = Object.entries(table).map(([token, user]) => ({ digest: digest(token), user }));
  return {
    verify(token) {
      const given = digest(token);
      let user: string | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(entry.digest, given) && user === undefined) user = entry.user;
      }
      return user;
    },
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** The token in an Authorization header: Basic password (or username when no password), or Bearer. */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme)) return value;
  if (!/^basic$/i.test(scheme)) return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return decoded || undefined;
  const password = decoded.slice(colon + 1);
  return password || decoded.slice(0, colon) || undefined;
}
