// LabelSelector objects (matchLabels + matchExpressions) as predicates, and the string form
// list calls take. An empty selector matches everything; a missing one matches nothing, as in
// Kubernetes' metav1.LabelSelectorAsSelector.
import type { V1LabelSelector } from "@kubernetes/client-node";

export type Labels = Record<string, string> | undefined;

export function selectorMatches(selector: V1LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (have[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const value = have[req.key];
    const values = req.values ?? [];
    switch (req.operator) {
      case "In":
        if (value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (value === undefined) return false;
        break;
      case "DoesNotExist":
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** True when the selector has no requirements (it would select every pod). */
export function selectorIsEmpty(selector: V1LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}
