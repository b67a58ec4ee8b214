// The RBAC authorizer: system:masters is always allowed (Kubernetes' superuser path); otherwise
// a request is allowed when some rule bound to the user (by name, group or service account)
// matches it, and denied by default. Decisions read only the cache, never the store.
import type { AuthzAttributes, AuthzDecision, Authorizer, UserInfo } from "../types.js";
import { ruleAllows } from "./match.js";
import type { PolicyRule } from "./policy.js";
import { describeBinding, type RuleResolver } from "./resolver.js";

export const SUPERUSER_GROUP = "system:masters";

export interface RbacAuthorizerCore extends Authorizer {
  /** The decision without waiting for the initial sync (the cache as it is now). */
  decide(attributes: AuthzAttributes): AuthzDecision;
  /** Every rule that applies to user in namespace (cluster-wide rules included). */
  rulesFor(user: UserInfo, namespace: string | undefined): PolicyRule[];
}

export function createDecider(resolver: RuleResolver): Pick<RbacAuthorizerCore, "decide" | "rulesFor"> {
  return {
    decide(attributes) {
      const { user } = attributes;
      if (user.groups.includes(SUPERUSER_GROUP)) return { allowed: true, reason: `RBAC: allowed: member of group "${SUPERUSER_GROUP}"` };
      const namespace = attributes.resourceRequest ? attributes.namespace : undefined;
      let reason: string | undefined;
      resolver.visitRulesFor(user, namespace, ({ binding, rule }) => {
        if (!ruleAllows(attributes, rule)) return true;
        reason = `RBAC: allowed by ${describeBinding(binding, user)}`;
        return false;
      });
      if (reason !== undefined) return { allowed: true, reason };
      return { allowed: false, reason: `RBAC: no rule bound to user "${user.username}" allows it` };
    },
    rulesFor: (user, namespace) => resolver.rulesFor(user, namespace),
  };
}
