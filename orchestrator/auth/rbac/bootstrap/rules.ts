// Compact builders for the default policy's rules.
import type { PolicyRule } from "../policy.js";

export const READ = ["get", "list", "watch"];
export const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
export const ALL_VERBS = [...READ, ...WRITE];

/** Resource rule: verbs on resources of one API group. */
export function rule(verbs: string[], group: string, resources: string[]): PolicyRule {
  return { verbs: [...verbs], apiGroups: [group], resources: [...resources] };
}

export function namedRule(verbs: string[], group: string, resources: string[], names: string[]): PolicyRule {
  return { ...rule(verbs, group, resources), resourceNames: [...names] };
}

export function urlRule(verbs: string[], urls: string[]): PolicyRule {
  return { verbs: [...verbs], nonResourceURLs: [...urls] };
}

/** Each resource with its subresources: withSubs(["deployments"], ["scale", "status"]). */
export function withSubs(resources: string[], subs: string[]): string[] {
  return resources.flatMap((r) => [r, ...subs.map((s) => `${r}/${s}`)]);
}
