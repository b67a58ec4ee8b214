// Whether one PolicyRule allows one request, with Kubernetes' matching: `*` in verbs, apiGroups
// and resources; "pods/log" names a subresource and "*/scale" one subresource of every
// resource; resourceNames restrict to named objects (so they never match a request without a
// name: list, watch, create, deletecollection); nonResourceURLs match exactly or by a
// trailing `*` prefix.
import type { AuthzAttributes } from "../types.js";
import type { PolicyRule } from "./policy.js";

const ALL = "*";

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes(ALL) || rule.verbs.includes(verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  const groups = rule.apiGroups ?? [];
  return groups.includes(ALL) || groups.includes(group);
}

export function resourceMatches(rule: PolicyRule, resource: string, subresource?: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return name !== undefined && name !== "" && names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === ALL || url === path) return true;
    if (url.endsWith(ALL) && path.startsWith(url.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(attrs: Omit<AuthzAttributes, "user">, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceURLMatches(rule, attrs.path ?? "");
  return (
    apiGroupMatches(rule, attrs.apiGroup ?? "") &&
    resourceMatches(rule, attrs.resource ?? "", attrs.subresource) &&
    resourceNameMatches(rule, attrs.name)
  );
}
