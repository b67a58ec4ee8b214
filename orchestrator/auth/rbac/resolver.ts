// Rule resolution over the cache, as Kubernetes' DefaultRuleResolver: the rules of every
// ClusterRoleBinding naming the user, then of every RoleBinding in the namespace naming it,
// each with the binding it came from (for reasons and SelfSubjectRulesReview).
import type { UserInfo } from "../types.js";
import { userKeys, type PolicyCache } from "./cache.js";
import type { BindingEntry, PolicyRule, RoleRef, Subject } from "./policy.js";

export interface RuleSource {
  binding: BindingEntry;
  rule: PolicyRule;
}

/** Return false to stop visiting. */
export type RuleVisitor = (source: RuleSource) => boolean;

export class RuleResolver {
  constructor(private readonly cache: PolicyCache) {}

  /** The rules a role reference grants; a binding's namespace resolves its Role. */
  roleRefRules(ref: RoleRef, bindingNamespace: string | undefined): PolicyRule[] | undefined {
    if (ref.kind === "ClusterRole") return this.cache.clusterRole(ref.name)?.rules;
    return bindingNamespace ? this.cache.role(bindingNamespace, ref.name)?.rules : undefined;
  }

  visitRulesFor(user: UserInfo, namespace: string | undefined, visit: RuleVisitor): void {
    const keys = userKeys(user);
    const groups = [this.cache.clusterBindingsFor(keys)];
    if (namespace) groups.push(this.cache.roleBindingsFor(keys, namespace));
    for (const bindings of groups) {
      for (const binding of bindings) {
        for (const rule of this.roleRefRules(binding.roleRef, binding.namespace) ?? []) {
          if (!visit({ binding, rule })) return;
        }
      }
    }
  }

  rulesFor(user: UserInfo, namespace: string | undefined): PolicyRule[] {
    const rules: PolicyRule[] = [];
    this.visitRulesFor(user, namespace, ({ rule }) => {
      rules.push(rule);
      return true;
    });
    return rules;
  }
}

function describeSubject(s: Subject, bindingNamespace: string | undefined): string {
  if (s.kind === "ServiceAccount") return `${s.kind} "${s.name}/${s.namespace ?? bindingNamespace ?? ""}"`;
  return `${s.kind} "${s.name}"`;
}

/** Kubernetes' describer: `RoleBinding "name/ns" of ClusterRole "view" to User "bob"`. */
export function describeBinding(binding: BindingEntry, user: UserInfo): string {
  const keysOf = new Set(userKeys(user));
  const subject = binding.subjects.find((s) => {
    if (s.kind === "User") return keysOf.has(`u:${s.name}`);
    if (s.kind === "Group") return keysOf.has(`g:${s.name}`);
    return user.username === `system:serviceaccount:${s.namespace ?? binding.namespace ?? ""}:${s.name}`;
  });
  const kind = binding.namespace ? "RoleBinding" : "ClusterRoleBinding";
  const name = binding.namespace ? `${binding.name}/${binding.namespace}` : binding.name;
  const who = subject ? ` to ${describeSubject(subject, binding.namespace)}` : "";
  return `${kind} "${name}" of ${binding.roleRef.kind} "${binding.roleRef.name}"${who}`;
}
