// Runs authenticators in order, as Kubernetes' union authenticator does: the first that
// authenticates wins; a rejection is remembered but the others still get their turn; every
// authenticated user is in system:authenticated.
import type { Authenticator, AuthnRequest, AuthnResult } from "../types.js";

export const AUTHENTICATED_GROUP = "system:authenticated";

export function unionAuthenticator(authenticators: Authenticator[]): Authenticator {
  return {
    async authenticate(request: AuthnRequest): Promise<AuthnResult> {
      const reasons: string[] = [];
      for (const authenticator of authenticators) {
        const result = await authenticator.authenticate(request);
        if (result.kind === "authenticated") {
          const groups = result.user.groups.includes(AUTHENTICATED_GROUP) ? result.user.groups : [...result.user.groups, AUTHENTICATED_GROUP];
          return { kind: "authenticated", user: { ...result.user, groups } };
        }
        if (result.kind === "rejected") reasons.push(result.reason);
      }
      return reasons.length > 0 ? { kind: "rejected", reason: reasons.join("; ") } : { kind: "no-opinion" };
    },
  };
}
