// Default policy reconciled at server start, as kube-apiserver's bootstrap policy: missing
// roles and bindings are created; existing ones annotated autoupdate (not "false") only gain
// what is missing (rules, aggregation selectors, labels, subjects), so user additions stay
// and a role a user opted out of (autoupdate: "false") is left alone.
import type { ApiEnv } from "../../../apiserver/context.js";
import { ApiError } from "../../../apiserver/errors.js";
import { commitUpdate, createPrepared } from "../../../apiserver/handlers/write.js";
import { arrayOf, deepEqual, getPath, isObject, meta, stringMap, type JsonObject } from "../../../apiserver/object.js";
import type { ResourceInfo } from "../../../apiserver/types.js";
import { covers } from "../covers.js";
import { parseRules, RBAC_GROUP, ruleToJson } from "../policy.js";
import { SYSTEM_BINDINGS, SYSTEM_ROLES, type BindingSpec } from "./systemRoles.js";
import { clusterRoleJson, USER_ROLES, type ClusterRoleSpec } from "./userRoles.js";

export const AUTOUPDATE = "rbac.authorization.k8s.io/autoupdate";
const BOOTSTRAP_LABELS = { "kubernetes.io/bootstrapping": "rbac-defaults" };
const BOOTSTRAP_ANNOTATIONS = { [AUTOUPDATE]: "true" };
const MANAGER = "berth-apiserver";

export const DEFAULT_CLUSTER_ROLES: ClusterRoleSpec[] = [...USER_ROLES, ...SYSTEM_ROLES];
export const DEFAULT_CLUSTER_ROLE_BINDINGS: BindingSpec[] = SYSTEM_BINDINGS;

function infoOf(env: ApiEnv, resource: string): ResourceInfo {
  const info = env.registry.lookup(RBAC_GROUP, "v1", resource);
  if (!info) throw new Error(`${resource}.${RBAC_GROUP} is not registered`);
  return info;
}

function bindingJson(spec: BindingSpec): JsonObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name: spec.name, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...BOOTSTRAP_ANNOTATIONS } },
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: spec.role },
    subjects: spec.subjects.map((s) => ({ apiGroup: RBAC_GROUP, ...s })),
  };
}

const optedOut = (obj: JsonObject): boolean => getPath(obj, ["metadata", "annotations", AUTOUPDATE]) === "false";

function addMissingLabels(obj: JsonObject, labels: Record<string, string>): void {
  const m = meta(obj);
  const current = isObject(m.labels) ? m.labels : {};
  m.labels = { ...labels, ...current };
}

/** The stored role plus whatever of the default it lacks. */
export function mergeRole(stored: JsonObject, wanted: JsonObject): JsonObject {
  const out = structuredClone(stored);
  addMissingLabels(out, stringMap(getPath(wanted, ["metadata", "labels"])) ?? {});
  if (wanted.aggregationRule !== undefined) {
    const have = arrayOf(getPath(out, ["aggregationRule", "clusterRoleSelectors"]));
    const add = arrayOf(getPath(wanted, ["aggregationRule", "clusterRoleSelectors"])).filter((s) => !have.some((h) => deepEqual(h, s)));
    if (add.length > 0 || out.aggregationRule === undefined) out.aggregationRule = { clusterRoleSelectors: [...have, ...add] };
    return out; // aggregated rules belong to the aggregation controller
  }
  const storedRules = parseRules(out.rules);
  const lacking = parseRules(wanted.rules).filter((r) => !covers(storedRules, [r]).covered);
  if (lacking.length > 0) out.rules = [...arrayOf(out.rules), ...lacking.map(ruleToJson)];
  return out;
}

export function mergeBinding(stored: JsonObject, wanted: JsonObject): JsonObject {
  const out = structuredClone(stored);
  const have = arrayOf(out.subjects);
  const add = arrayOf(wanted.subjects).filter((s) => !have.some((h) => isObject(h) && isObject(s) && h.kind === s.kind && h.name === s.name));
  if (add.length > 0) out.subjects = [...have, ...add];
  return out;
}

async function ensure(env: ApiEnv, info: ResourceInfo, wanted: JsonObject, merge: (stored: JsonObject, wanted: JsonObject) => JsonObject): Promise<void> {
  const name = String(getPath(wanted, ["metadata", "name"]));
  const target = { env, info, manager: MANAGER };
  const stored = await env.storage.tryGet(info, { name });
  if (!stored) {
    try {
      await createPrepared(env, target, structuredClone(wanted), false);
    } catch (err) {
      // Another API server on the same store created it first; its copy is as good.
      if (!(err instanceof ApiError && err.reason === "AlreadyExists")) throw err;
    }
    return;
  }
  if (optedOut(stored) || deepEqual(merge(stored, wanted), stored)) return;
  await commitUpdate(env, target, { name, dryRun: false, mutate: (old) => (optedOut(old) ? old : merge(old, wanted)) });
}

/** Creates or completes the default ClusterRoles and ClusterRoleBindings. */
export async function reconcileBootstrapPolicy(env: ApiEnv): Promise<void> {
  const roles = infoOf(env, "clusterroles");
  const bindings = infoOf(env, "clusterrolebindings");
  const extra = { labels: BOOTSTRAP_LABELS, annotations: BOOTSTRAP_ANNOTATIONS };
  for (const spec of DEFAULT_CLUSTER_ROLES) await ensure(env, roles, clusterRoleJson(spec, extra), mergeRole);
  for (const spec of DEFAULT_CLUSTER_ROLE_BINDINGS) await ensure(env, bindings, bindingJson(spec), mergeBinding);
}
