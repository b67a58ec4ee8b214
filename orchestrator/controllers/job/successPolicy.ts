// spec.successPolicy of Indexed Jobs (pkg/controller/job/success_policy.go): a rule is met when
// every index it names succeeded, or at least succeededCount of them (or of all indexes when
// it names none). The first met rule ends the Job with SuccessCriteriaMet, reason SuccessPolicy.
import type { V1SuccessPolicy } from "@kubernetes/client-node";
import { parseIndexes, totalOf, type Intervals } from "./indexes.js";

function overlapCount(a: Intervals, b: Intervals): number {
  let n = 0;
  for (const x of a) for (const y of b) n += Math.max(0, Math.min(x.last, y.last) - Math.max(x.first, y.first) + 1);
  return n;
}

/** The condition message of the first rule met ("Matched rules at index N"), else undefined. */
export function matchSuccessPolicy(policy: V1SuccessPolicy | undefined, completions: number, succeeded: Intervals): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  for (const [index, rule] of policy.rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      const got = overlapCount(required, succeeded);
      if (got === totalOf(required) || (rule.succeededCount !== undefined && got >= rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && totalOf(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
