// Label and node selectors as the scheduler evaluates them (apimachinery labels.Selector and
// component-helpers nodeaffinity): a nil selector matches nothing, an empty one everything.
import type { V1LabelSelector, V1NodeSelectorRequirement, V1NodeSelectorTerm } from "@kubernetes/client-node";

type Labels = Record<string, string>;

export function matchesLabelSelector(selector: V1LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expr.key);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case "In":
        if (!has || !values.includes(labels[expr.key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[expr.key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** One node selector requirement against a map of labels (or fields for matchFields). */
export function matchesRequirement(req: V1NodeSelectorRequirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return has && values.includes(value);
    case "NotIn":
      return !has || !values.includes(value);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt":
      return has && compareIntegers(req.operator, value, values);
    default:
      return false;
  }
}

function compareIntegers(operator: "Gt" | "Lt", value: string, values: string[]): boolean {
  // Gt and Lt take exactly one integer; anything else matches nothing, as in Kubernetes.
  if (values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0])) return false;
  const left = BigInt(value);
  const right = BigInt(values[0]);
  return operator === "Gt" ? left > right : left < right;
}

/**
 * A node selector term: every matchExpression against labels and every matchField against
 * metadata.name. A term with neither matches nothing.
 */
export function matchesNodeSelectorTerm(term: V1NodeSelectorTerm, labels: Labels, nodeName: string): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  if (!exprs.every((r) => matchesRequirement(r, labels))) return false;
  return fields.every((r) => r.key === "metadata.name" && matchesRequirement(r, { "metadata.name": nodeName }));
}

/** Terms are ORed. */
export function matchesNodeSelectorTerms(terms: V1NodeSelectorTerm[], labels: Labels, nodeName: string): boolean {
  return terms.some((t) => matchesNodeSelectorTerm(t, labels, nodeName));
}
