// The RBAC subsystem of one API server: the policy cache kept current from its store and its
// own writes, the authorizer over it, the escalation admission step on RBAC writes, the
// default policy reconciled at start and the ClusterRole aggregation controller.
import { realClock, type Clock } from "../../../core/clock.js";
import type { RunningController } from "../../../core/workqueue/index.js";
import type { ApiEnv, WriteCheck } from "../../apiserver/context.js";
import type { AuthzAttributes, AuthzDecision, UserInfo } from "../types.js";
import { startAggregationController } from "./aggregation.js";
import { createDecider, type RbacAuthorizerCore } from "./authorizer.js";
import { reconcileBootstrapPolicy } from "./bootstrap/reconcile.js";
import { isRbacResource, PolicyCache } from "./cache.js";
import { checkEscalation } from "./escalation.js";
import { RBAC_GROUP, type PolicyRule } from "./policy.js";
import { RuleResolver } from "./resolver.js";
import { PolicySource } from "./source.js";

export interface RbacAuthorizerOptions {
  /** The API server's parts: roles and bindings are read from env.storage's store (list +
   *  watch) and from env.writeListeners (its own writes, before their response is sent). */
  env: ApiEnv;
  /** Timers of the relist and the aggregation queue (default: the real clock). */
  clock?: Clock;
  /** Create / complete the default roles and bindings at start (default true). */
  bootstrap?: boolean;
  /** Run the ClusterRole aggregation controller (default true). */
  aggregate?: boolean;
  /** Refuse RBAC writes that grant rights their author lacks (default true). */
  preventEscalation?: boolean;
  /** Background failures (watch ended, aggregation write failed). Default: ignored. */
  onError?: (message: string) => void;
}

export interface RbacAuthorizer extends RbacAuthorizerCore {
  /** Resolves once the default policy is reconciled and the cache holds the store's policy. */
  readonly ready: Promise<void>;
  /** Stops the watch and the aggregation controller. */
  close(): Promise<void>;
}

/**
 * Starts RBAC on an API server's env and returns its authorizer at once; decisions wait for
 * the initial sync (so none is made on an empty cache) and then read memory only.
 */
export function createRbacAuthorizer(options: RbacAuthorizerOptions): RbacAuthorizer {
  const { env } = options;
  const clock = options.clock ?? realClock;
  const cache = new PolicyCache();
  const resolver = new RuleResolver(cache);
  const decider = createDecider(resolver);
  const source = new PolicySource({ store: env.storage.store, cache, clock, onError: (err) => options.onError?.(`rbac watch: ${err.message}`) });
  env.writeListeners.push(source.writeListener());
  if (options.preventEscalation ?? true) env.writeChecks.push(escalationCheck({ decider, resolver }));
  let aggregation: RunningController | undefined;
  let closed = false;
  const ready = (async () => {
    if (options.bootstrap ?? true) await reconcileBootstrapPolicy(env);
    await source.start();
    if ((options.aggregate ?? true) && !closed) aggregation = startAggregationController({ env, cache, clock, onError: options.onError });
  })();
  // A failed start fails every decision (deny), never an unhandled rejection.
  ready.catch((err: unknown) => options.onError?.(`rbac start: ${String(err)}`));
  return {
    ready,
    decide: (attributes: AuthzAttributes): AuthzDecision => decider.decide(attributes),
    rulesFor: (user: UserInfo, namespace: string | undefined): PolicyRule[] => decider.rulesFor(user, namespace),
    async authorize(attributes) {
      await ready;
      return decider.decide(attributes);
    },
    async close() {
      closed = true;
      await ready.catch(() => undefined);
      await aggregation?.stop();
      await source.stop();
    },
  };
}

function escalationCheck(deps: Parameters<typeof checkEscalation>[0]): WriteCheck {
  return ({ target, obj, old }) => {
    const { user, info } = target;
    if (!user || info.group !== RBAC_GROUP || !isRbacResource(info.resource)) return;
    checkEscalation(deps, { user, resource: info.resource, obj, old });
  };
}
