// A stand-in authorizer until RBAC (orchestrator/auth/rbac) is wired: allows every
// authenticated user everything, and anonymous callers only the public info paths. Deny by
// default otherwise. Not for production use once RBAC lands.
import { PUBLIC_PATHS } from "./pipeline.js";
import type { Authorizer, AuthzAttributes, AuthzDecision } from "./types.js";

export const allowAuthenticated: Authorizer = {
  authorize(attributes: AuthzAttributes): Promise<AuthzDecision> {
    if (attributes.user.groups.includes("system:authenticated")) return Promise.resolve({ allowed: true, reason: "allowAuthenticated: authenticated user" });
    if (!attributes.resourceRequest && attributes.verb === "get" && PUBLIC_PATHS.has(attributes.path ?? "")) {
      return Promise.resolve({ allowed: true, reason: "allowAuthenticated: public info path" });
    }
    return Promise.resolve({ allowed: false, reason: "allowAuthenticated: not authenticated" });
  },
};
