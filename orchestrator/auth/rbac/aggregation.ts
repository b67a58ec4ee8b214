// The ClusterRole aggregation controller (Kubernetes' clusterroleaggregation controller): a
// ClusterRole with an aggregationRule gets as rules the union of the rules of every other
// ClusterRole matching one of its selectors. Level-triggered: any ClusterRole change requeues
// every aggregating role, and reconcile recomputes from the cache, so chains (view → edit →
// admin) settle by themselves.
import type { Clock } from "../../../core/clock.js";
import { runController, type RunningController } from "../../../core/workqueue/index.js";
import type { ApiEnv } from "../../apiserver/context.js";
import { commitUpdate } from "../../apiserver/handlers/write.js";
import { deepEqual } from "../../apiserver/object.js";
import { matchesLabels, requirementsFromObject } from "../../apiserver/selectors/labels.js";
import type { PolicyCache } from "./cache.js";
import { RBAC_GROUP, ruleToJson, type PolicyRule, type RoleEntry } from "./policy.js";

/** The rules role should hold, given all ClusterRoles; undefined when it does not aggregate. */
export function aggregatedRules(role: RoleEntry, all: RoleEntry[]): PolicyRule[] | undefined {
  if (!role.aggregationSelectors) return undefined;
  const sorted = [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rules: PolicyRule[] = [];
  for (const selector of role.aggregationSelectors) {
    const reqs = requirementsFromObject(selector);
    for (const other of sorted) {
      if (other.name === role.name || !matchesLabels(reqs, other.labels)) continue;
      for (const r of other.rules) if (!rules.some((have) => deepEqual(have, r))) rules.push(r);
    }
  }
  return rules;
}

export interface AggregationOptions {
  env: ApiEnv;
  cache: PolicyCache;
  clock: Clock;
  onError?: (message: string) => void;
}

export function startAggregationController(options: AggregationOptions): RunningController {
  const { env, cache } = options;
  const info = env.registry.lookup(RBAC_GROUP, "v1", "clusterroles");
  if (!info) throw new Error(`clusterroles.${RBAC_GROUP} is not registered`);
  const controller = runController({
    clock: options.clock,
    onError: (f) => options.onError?.(`clusterrole aggregation ${f.key}: ${String(f.error)}`),
    reconcile: async (name) => {
      const role = cache.clusterRole(name);
      const wanted = role && aggregatedRules(role, cache.allClusterRoles());
      if (!role || !wanted || deepEqual(role.rules, wanted)) return;
      await commitUpdate(env, { env, info, manager: "clusterrole-aggregation-controller" }, {
        name,
        dryRun: false,
        mutate: (old) => ({ ...old, rules: wanted.map(ruleToJson) }),
      });
    },
  });
  const enqueueAggregating = (): void => {
    for (const r of cache.allClusterRoles()) if (r.aggregationSelectors) controller.queue.add(r.name);
  };
  const unsubscribe = cache.onChange((change) => {
    if (change.resource === "clusterroles") enqueueAggregating();
  });
  enqueueAggregating();
  return {
    queue: controller.queue,
    async stop() {
      unsubscribe();
      await controller.stop();
    },
  };
}
