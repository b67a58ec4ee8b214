// Aggregation and the default policy: aggregated rules, chains view → edit → admin, the
// bootstrap merge that never removes user additions, and what the default roles grant.
import { describe, expect, it } from "vitest";
import { aggregatedRules } from "../../../../orchestrator/auth/rbac/aggregation.js";
import { DEFAULT_CLUSTER_ROLES, DEFAULT_CLUSTER_ROLE_BINDINGS, mergeRole } from "../../../../orchestrator/auth/rbac/bootstrap/reconcile.js";
import { clusterRoleJson } from "../../../../orchestrator/auth/rbac/bootstrap/userRoles.js";
import { parseRole } from "../../../../orchestrator/auth/rbac/policy.js";
import { buildPolicy, clusterRole, resourceAttrs, user, type Obj } from "./fixture.js";

describe("aggregatedRules", () => {
  it("unions the rules of matching roles, in name order, without duplicates, skipping itself", () => {
    const agg = parseRole(clusterRole("agg", [], { labels: { "to-agg": "true" }, aggregate: [{ "to-agg": "true" }] }));
    const b = parseRole(clusterRole("b", [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], { labels: { "to-agg": "true" } }));
    const a = parseRole(clusterRole("a", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }, { verbs: ["get"], apiGroups: [""], resources: ["pods"] }], { labels: { "to-agg": "true" } }));
    const other = parseRole(clusterRole("c", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]));
    expect(aggregatedRules(agg, [agg, b, a, other])).toEqual([
      { verbs: ["list"], apiGroups: [""], resources: ["pods"] },
      { verbs: ["get"], apiGroups: [""], resources: ["pods"] },
    ]);
    expect(aggregatedRules(b, [agg, b])).toBeUndefined();
  });
});

const extra = { labels: {}, annotations: {} };
const defaults = (): Obj[] => DEFAULT_CLUSTER_ROLES.map((spec) => clusterRoleJson(spec, extra));

/** Runs aggregation to a fixed point over the default roles, as the controller does. */
function settledDefaults() {
  const policy = buildPolicy(defaults());
  for (let round = 0; round < 5; round++) {
    const all = policy.cache.allClusterRoles();
    for (const r of all) {
      const rules = aggregatedRules(r, all);
      if (rules) policy.cache.put("clusterroles", { ...r, rules }, 1000 + round);
    }
  }
  for (const b of DEFAULT_CLUSTER_ROLE_BINDINGS) {
    policy.add({ kind: "ClusterRoleBinding", metadata: { name: b.name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: b.role }, subjects: b.subjects });
  }
  return policy;
}

describe("default policy", () => {
  it("admin ⊇ edit ⊇ view through aggregation", () => {
    const { cache } = settledDefaults();
    const view = cache.clusterRole("view")?.rules ?? [];
    const edit = cache.clusterRole("edit")?.rules ?? [];
    const admin = cache.clusterRole("admin")?.rules ?? [];
    expect(view.length).toBeGreaterThan(0);
    for (const r of view) expect(edit).toContainEqual(r);
    for (const r of edit) expect(admin).toContainEqual(r);
  });

  const cases: { name: string; u: ReturnType<typeof user>; attrs: Parameters<typeof resourceAttrs>[3] & { verb: string; resource: string }; want: boolean }[] = [
    { name: "authenticated users may review themselves", u: user("x"), attrs: { verb: "create", resource: "selfsubjectaccessreviews", apiGroup: "authorization.k8s.io" }, want: true },
    { name: "node lists pods", u: { username: "system:node:n1", groups: ["system:nodes", "system:authenticated"] }, attrs: { verb: "list", resource: "pods" }, want: true },
    { name: "node updates pod status", u: { username: "system:node:n1", groups: ["system:nodes"] }, attrs: { verb: "patch", resource: "pods", subresource: "status", name: "p", namespace: "d" }, want: true },
    { name: "node renews its lease", u: { username: "system:node:n1", groups: ["system:nodes"] }, attrs: { verb: "update", resource: "leases", apiGroup: "coordination.k8s.io", name: "n1", namespace: "kube-node-lease" }, want: true },
    { name: "node may not create deployments", u: { username: "system:node:n1", groups: ["system:nodes"] }, attrs: { verb: "create", resource: "deployments", apiGroup: "apps", namespace: "d" }, want: false },
    { name: "scheduler binds pods", u: user("system:kube-scheduler"), attrs: { verb: "create", resource: "pods", subresource: "binding", name: "p", namespace: "d" }, want: true },
    { name: "scheduler reads priority classes", u: user("system:kube-scheduler"), attrs: { verb: "list", resource: "priorityclasses", apiGroup: "scheduling.k8s.io" }, want: true },
    { name: "scheduler may not read secrets", u: user("system:kube-scheduler"), attrs: { verb: "get", resource: "secrets", name: "s", namespace: "d" }, want: false },
    { name: "controllers scale replicasets", u: user("system:kube-controller-manager"), attrs: { verb: "update", resource: "replicasets", subresource: "status", apiGroup: "apps", name: "r", namespace: "d" }, want: true },
    { name: "controllers write endpointslices", u: user("system:kube-controller-manager"), attrs: { verb: "create", resource: "endpointslices", apiGroup: "discovery.k8s.io", namespace: "d" }, want: true },
    { name: "controllers may not write roles", u: user("system:kube-controller-manager"), attrs: { verb: "create", resource: "roles", apiGroup: "rbac.authorization.k8s.io", namespace: "d" }, want: false },
    { name: "gitops controller watches applications everywhere", u: user("system:berth:gitops-controller"), attrs: { verb: "watch", resource: "applications", apiGroup: "berth.dev" }, want: true },
    { name: "gitops controller needs a RoleBinding to deploy", u: user("system:berth:gitops-controller"), attrs: { verb: "create", resource: "deployments", apiGroup: "apps", namespace: "d" }, want: false },
    { name: "gitops controller creates namespaces (CreateNamespace=true)", u: user("system:berth:gitops-controller"), attrs: { verb: "create", resource: "namespaces", apiGroup: "" }, want: true },
    { name: "gitops controller never deletes namespaces", u: user("system:berth:gitops-controller"), attrs: { verb: "delete", resource: "namespaces", apiGroup: "", name: "prod" }, want: false },
  ];

  it.each(cases)("$name", ({ u, attrs, want }) => {
    const { decider } = settledDefaults();
    const { verb, resource, ...rest } = attrs;
    expect(decider.decide(resourceAttrs(u, verb, resource, rest)).allowed).toBe(want);
  });

  it("public info is open to unauthenticated callers, discovery only to authenticated ones", () => {
    const { decider } = settledDefaults();
    const anon = { username: "system:anonymous", groups: ["system:unauthenticated"] };
    expect(decider.decide({ user: anon, verb: "get", resourceRequest: false, path: "/version" }).allowed).toBe(true);
    expect(decider.decide({ user: anon, verb: "get", resourceRequest: false, path: "/apis" }).allowed).toBe(false);
    expect(decider.decide({ user: user("x"), verb: "get", resourceRequest: false, path: "/apis/apps/v1" }).allowed).toBe(true);
  });

  it("the bootstrap merge adds what is missing and keeps user additions", () => {
    const spec = DEFAULT_CLUSTER_ROLES.find((r) => r.name === "system:basic-user");
    if (!spec) throw new Error("no system:basic-user");
    const wanted = clusterRoleJson(spec, { labels: { "kubernetes.io/bootstrapping": "rbac-defaults" }, annotations: {} });
    const stored = { ...wanted, metadata: { name: "system:basic-user", labels: { mine: "yes" } }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["configmaps"] }] };
    const merged = mergeRole(stored, wanted);
    expect(merged.rules).toEqual([{ verbs: ["get"], apiGroups: [""], resources: ["configmaps"] }, ...(Array.isArray(wanted.rules) ? wanted.rules : [])]);
    expect(merged.metadata).toEqual({ name: "system:basic-user", labels: { mine: "yes", "kubernetes.io/bootstrapping": "rbac-defaults" } });
    expect(mergeRole(merged, wanted)).toEqual(merged);
  });
});
