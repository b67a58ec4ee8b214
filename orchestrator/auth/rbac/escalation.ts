// Privilege-escalation prevention on RBAC writes (Kubernetes' policy-based RBAC storage): a
// role may only hold rules its author already holds, unless they may `escalate` roles; a
// binding may only reference a role whose rules its author holds, unless they may `bind` it.
// system:masters passes, as the API server's privileged loopback identity does.
import { forbidden } from "../../apiserver/errors.js";
import { deepEqual, type JsonObject } from "../../apiserver/object.js";
import type { AuthzAttributes, UserInfo } from "../types.js";
import { SUPERUSER_GROUP, type RbacAuthorizerCore } from "./authorizer.js";
import type { RbacResource } from "./cache.js";
import { compactRules, compactString, covers } from "./covers.js";
import { parseBinding, parseRole, RBAC_GROUP, type PolicyRule } from "./policy.js";
import type { RuleResolver } from "./resolver.js";

/** What an aggregationRule may gather: anything, so setting one needs `*` on everything. */
const FULL_AUTHORITY: PolicyRule[] = [
  { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
  { nonResourceURLs: ["*"], verbs: ["*"] },
];

export interface EscalationWrite {
  user: UserInfo;
  resource: RbacResource;
  /** The object to store, and the stored one on updates. */
  obj: JsonObject;
  old?: JsonObject;
}

export interface EscalationDeps {
  decider: Pick<RbacAuthorizerCore, "decide">;
  resolver: RuleResolver;
}

function refused(write: EscalationWrite, name: string, message: string): Error {
  return forbidden(`${write.resource}.${RBAC_GROUP} "${name}" is forbidden: ${message}`, { name });
}

function allowedTo(deps: EscalationDeps, attrs: Omit<AuthzAttributes, "resourceRequest" | "apiGroup">): boolean {
  return deps.decider.decide({ ...attrs, resourceRequest: true, apiGroup: RBAC_GROUP }).allowed;
}

function missingRights(deps: EscalationDeps, user: UserInfo, namespace: string | undefined, rules: PolicyRule[]): string | undefined {
  const result = covers(deps.resolver.rulesFor(user, namespace), rules);
  if (result.covered) return undefined;
  const lines = [...new Set(compactRules(result.missing).map(compactString))].sort();
  const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(" ")}]`;
  return `user ${JSON.stringify(user.username)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${lines.join("\n")}`;
}

/** Throws a 403 when the write would grant rights its author lacks. */
export function checkEscalation(deps: EscalationDeps, write: EscalationWrite): void {
  if (write.user.groups.includes(SUPERUSER_GROUP)) return;
  if (write.resource === "roles" || write.resource === "clusterroles") checkRole(deps, write);
  else checkBinding(deps, write);
}

function checkRole(deps: EscalationDeps, write: EscalationWrite): void {
  const role = parseRole(write.obj);
  if (write.old) {
    const old = parseRole(write.old);
    // Metadata-only updates (labels, finalizers) grant nothing new.
    if (deepEqual(old.rules, role.rules) && deepEqual(old.aggregationSelectors, role.aggregationSelectors)) return;
  }
  if (allowedTo(deps, { user: write.user, verb: "escalate", resource: write.resource, namespace: role.namespace, name: role.name })) return;
  const missing = missingRights(deps, write.user, role.namespace, role.rules);
  if (missing) throw refused(write, role.name, missing);
  if (role.aggregationSelectors && missingRights(deps, write.user, role.namespace, FULL_AUTHORITY)) {
    throw refused(write, role.name, "must have cluster-admin privileges to use the aggregationRule");
  }
}

function checkBinding(deps: EscalationDeps, write: EscalationWrite): void {
  const binding = parseBinding(write.obj);
  if (!binding) return; // validation reports the missing roleRef
  const oldBinding = write.old ? parseBinding(write.old) : undefined;
  if (oldBinding && !deepEqual(oldBinding.roleRef, binding.roleRef)) {
    throw refused(write, binding.name, "cannot change roleRef");
  }
  if (oldBinding && deepEqual(oldBinding.subjects, binding.subjects)) return;
  const roleResource = binding.roleRef.kind === "Role" ? "roles" : "clusterroles";
  if (allowedTo(deps, { user: write.user, verb: "bind", resource: roleResource, namespace: binding.namespace, name: binding.roleRef.name })) return;
  const rules = deps.resolver.roleRefRules(binding.roleRef, binding.namespace);
  if (!rules) throw refused(write, binding.name, `${roleResource}.${RBAC_GROUP} "${binding.roleRef.name}" not found`);
  const missing = missingRights(deps, write.user, binding.namespace, rules);
  if (missing) throw refused(write, binding.name, missing);
}
