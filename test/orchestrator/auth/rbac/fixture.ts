// One builder for RBAC unit tests: a PolicyCache holding the given roles and bindings (as the
// API stores them), with the resolver and decider over it.
import { createDecider } from "../../../../orchestrator/auth/rbac/authorizer.js";
import { PolicyCache } from "../../../../orchestrator/auth/rbac/cache.js";
import { RuleResolver } from "../../../../orchestrator/auth/rbac/resolver.js";
import { applyObject } from "../../../../orchestrator/auth/rbac/source.js";
import type { RbacResource } from "../../../../orchestrator/auth/rbac/cache.js";
import { getPath, str } from "../../../../orchestrator/apiserver/object.js";
import type { AuthzAttributes, UserInfo } from "../../../../orchestrator/auth/types.js";

export type Obj = Record<string, unknown>;
export interface RuleJson {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export function clusterRole(name: string, rules: RuleJson[], extra: { labels?: Record<string, string>; aggregate?: Record<string, string>[] } = {}): Obj {
  const obj: Obj = { kind: "ClusterRole", metadata: { name, labels: extra.labels ?? {} }, rules };
  if (extra.aggregate) obj.aggregationRule = { clusterRoleSelectors: extra.aggregate.map((matchLabels) => ({ matchLabels })) };
  return obj;
}

export function role(namespace: string, name: string, rules: RuleJson[]): Obj {
  return { kind: "Role", metadata: { namespace, name }, rules };
}

type SubjectJson = { kind: "User" | "Group" | "ServiceAccount"; name: string; namespace?: string };

export function clusterBinding(name: string, roleName: string, subjects: SubjectJson[]): Obj {
  return { kind: "ClusterRoleBinding", metadata: { name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName }, subjects };
}

export function roleBinding(namespace: string, name: string, ref: { kind: "Role" | "ClusterRole"; name: string }, subjects: SubjectJson[]): Obj {
  return { kind: "RoleBinding", metadata: { namespace, name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", ...ref }, subjects };
}

const RESOURCE_OF: Record<string, RbacResource> = { ClusterRole: "clusterroles", Role: "roles", RoleBinding: "rolebindings", ClusterRoleBinding: "clusterrolebindings" };

export function buildPolicy(objects: Obj[]) {
  const cache = new PolicyCache();
  let rev = 1;
  const add = (obj: Obj) => {
    const resource = RESOURCE_OF[String(obj.kind)];
    const namespace = str(getPath(obj, ["metadata", "namespace"]));
    applyObject(cache, resource, obj, { namespace, name: str(getPath(obj, ["metadata", "name"])) ?? "" }, rev++);
  };
  objects.forEach(add);
  const resolver = new RuleResolver(cache);
  const decider = createDecider(resolver);
  return { cache, resolver, decider, add };
}

export function user(username: string, groups: string[] = []): UserInfo {
  return { username, groups: [...groups, "system:authenticated"] };
}

export function resourceAttrs(u: UserInfo, verb: string, resource: string, extra: Partial<AuthzAttributes> = {}): AuthzAttributes {
  return { user: u, verb, resourceRequest: true, apiGroup: "", resource, ...extra };
}
