// The bearer token of a request (`Authorization: Bearer TOKEN`, scheme case-insensitive, as
// Kubernetes' bearertoken authenticator reads it). Never logged by anyone.
import type { AuthnRequest } from "../types.js";

export function bearerToken(request: AuthnRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== "string") return undefined;
  const m = /^bearer\s+(\S+)\s*$/i.exec(header.trim());
  return m?.[1];
}
