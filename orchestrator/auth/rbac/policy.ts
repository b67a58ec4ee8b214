// RBAC objects as the authorizer reads them: rules, role references and subjects, parsed once
// from stored JSON so decisions never walk untyped objects. Malformed fields read as empty,
// which can only take rights away (deny by default).
import { arrayOf, getPath, isObject, str, stringMap, type JsonObject } from "../../apiserver/object.js";
import type { LabelSelectorObject } from "../../apiserver/selectors/labels.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** rbac/v1 PolicyRule. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface RoleRef {
  apiGroup: string;
  kind: "Role" | "ClusterRole";
  name: string;
}

export interface Subject {
  kind: "User" | "Group" | "ServiceAccount";
  name: string;
  namespace?: string;
}

/** A Role (namespace set) or ClusterRole. */
export interface RoleEntry {
  namespace?: string;
  name: string;
  rules: PolicyRule[];
  labels: Record<string, string>;
  /** ClusterRoles only: the selectors whose matches this role's rules are aggregated from. */
  aggregationSelectors?: LabelSelectorObject[];
}

/** A RoleBinding (namespace set) or ClusterRoleBinding. */
export interface BindingEntry {
  namespace?: string;
  name: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

function strings(v: unknown): string[] {
  return arrayOf(v).filter((s): s is string => typeof s === "string");
}

export function parseRule(v: unknown): PolicyRule | undefined {
  if (!isObject(v)) return undefined;
  const rule: PolicyRule = { verbs: strings(v.verbs) };
  for (const field of ["apiGroups", "resources", "resourceNames", "nonResourceURLs"] as const) {
    const list = strings(v[field]);
    if (list.length > 0) rule[field] = list;
  }
  return rule;
}

export function parseRules(v: unknown): PolicyRule[] {
  return arrayOf(v).flatMap((r) => parseRule(r) ?? []);
}

function parseSelector(v: unknown): LabelSelectorObject | undefined {
  if (!isObject(v)) return undefined;
  const sel: LabelSelectorObject = {};
  const labels = stringMap(v.matchLabels);
  if (labels) sel.matchLabels = labels;
  const exprs = arrayOf(v.matchExpressions).flatMap((e) => {
    if (!isObject(e) || typeof e.key !== "string" || typeof e.operator !== "string") return [];
    return [{ key: e.key, operator: e.operator, values: strings(e.values) }];
  });
  if (exprs.length > 0) sel.matchExpressions = exprs;
  return sel;
}

export function parseRole(obj: JsonObject): RoleEntry {
  const role: RoleEntry = {
    name: str(getPath(obj, ["metadata", "name"])) ?? "",
    rules: parseRules(obj.rules),
    labels: stringMap(getPath(obj, ["metadata", "labels"])) ?? {},
  };
  const namespace = str(getPath(obj, ["metadata", "namespace"]));
  if (namespace) role.namespace = namespace;
  const selectors = getPath(obj, ["aggregationRule", "clusterRoleSelectors"]);
  if (Array.isArray(selectors)) role.aggregationSelectors = selectors.flatMap((s) => parseSelector(s) ?? []);
  return role;
}

function parseSubject(v: unknown): Subject | undefined {
  if (!isObject(v)) return undefined;
  const kind = v.kind;
  const name = str(v.name);
  if (!name || (kind !== "User" && kind !== "Group" && kind !== "ServiceAccount")) return undefined;
  const subject: Subject = { kind, name };
  const namespace = str(v.namespace);
  if (namespace) subject.namespace = namespace;
  return subject;
}

export function parseBinding(obj: JsonObject): BindingEntry | undefined {
  const ref = obj.roleRef;
  if (!isObject(ref) || (ref.kind !== "Role" && ref.kind !== "ClusterRole") || typeof ref.name !== "string") return undefined;
  const binding: BindingEntry = {
    name: str(getPath(obj, ["metadata", "name"])) ?? "",
    roleRef: { apiGroup: str(ref.apiGroup) ?? RBAC_GROUP, kind: ref.kind, name: ref.name },
    subjects: arrayOf(obj.subjects).flatMap((s) => parseSubject(s) ?? []),
  };
  const namespace = str(getPath(obj, ["metadata", "namespace"]));
  if (namespace) binding.namespace = namespace;
  return binding;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Rules back to rbac/v1 JSON (omitting empty lists, as the API does). */
export function ruleToJson(rule: PolicyRule): JsonObject {
  const out: JsonObject = { verbs: [...rule.verbs] };
  for (const field of ["apiGroups", "resources", "resourceNames", "nonResourceURLs"] as const) {
    const list = rule[field];
    if (list && list.length > 0) out[field] = [...list];
  }
  return out;
}
