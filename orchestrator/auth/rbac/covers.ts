// Whether one set of rules covers another (Kubernetes' validation.Covers): each rule to grant is
// broken down into atomic rules (one verb, group, resource, name / URL), and each of those must
// be within some held rule. Wildcards to grant are covered only by wildcards held.
import type { PolicyRule } from "./policy.js";

const ALL = "*";

const hasAll = (set: string[], items: string[]): boolean => items.every((i) => set.includes(i));

/** One rule per verb × group × resource × resourceName, and per verb × nonResourceURL. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        for (const name of names) out.push({ apiGroups: [group], resources: [resource], resourceNames: [name], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  }
  return out;
}

function resourcesCovered(held: string[], wanted: string[]): boolean {
  if (held.includes(ALL)) return true;
  return wanted.every((r) => {
    if (held.includes(r)) return true;
    const slash = r.indexOf("/");
    return slash >= 0 && held.includes(`*/${r.slice(slash + 1)}`);
  });
}

function urlsCovered(held: string[], wanted: string[]): boolean {
  return wanted.every((u) => held.some((h) => h === u || (h.endsWith(ALL) && u.startsWith(h.slice(0, -1)))));
}

export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const ownerNames = owner.resourceNames ?? [];
  const subNames = sub.resourceNames ?? [];
  const namesOk = subNames.length === 0 ? ownerNames.length === 0 : ownerNames.length === 0 || hasAll(ownerNames, subNames);
  return (
    (owner.verbs.includes(ALL) || hasAll(owner.verbs, sub.verbs)) &&
    ((owner.apiGroups ?? []).includes(ALL) || hasAll(owner.apiGroups ?? [], sub.apiGroups ?? [])) &&
    resourcesCovered(owner.resources ?? [], sub.resources ?? []) &&
    urlsCovered(owner.nonResourceURLs ?? [], sub.nonResourceURLs ?? []) &&
    namesOk
  );
}

export interface CoverResult {
  covered: boolean;
  /** The atomic rules no held rule covers. */
  missing: PolicyRule[];
}

export function covers(held: PolicyRule[], wanted: PolicyRule[]): CoverResult {
  const missing: PolicyRule[] = [];
  for (const rule of wanted) {
    for (const atom of breakdownRule(rule)) {
      if (!held.some((h) => ruleCovers(h, atom))) missing.push(atom);
    }
  }
  return { covered: missing.length === 0, missing };
}

/** Merges atomic rules that differ only in verb, so messages list each resource once. */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  const out: PolicyRule[] = [];
  for (const r of rules) {
    const simple = (r.apiGroups?.length ?? 0) === 1 && (r.resources?.length ?? 0) === 1 && !r.resourceNames && !r.nonResourceURLs;
    if (!simple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups, r.resources]);
    const existing = merged.get(key);
    if (existing) {
      for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
      continue;
    }
    const copy: PolicyRule = { apiGroups: [...(r.apiGroups ?? [])], resources: [...(r.resources ?? [])], verbs: [...r.verbs] };
    merged.set(key, copy);
    out.push(copy);
  }
  return out;
}

const quoted = (list: string[]): string => `[${list.map((s) => JSON.stringify(s)).join(" ")}]`;

/** Kubernetes' PolicyRule.CompactString: `{APIGroups:[""], Resources:["pods"], Verbs:["create"]}`. */
export function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${quoted(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${quoted(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${quoted(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${quoted(rule.resourceNames)}`);
  if (rule.verbs.length) parts.push(`Verbs:${quoted(rule.verbs)}`);
  return `{${parts.join(", ")}}`;
}
