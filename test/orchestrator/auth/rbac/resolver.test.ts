// Binding resolution through the subject index: users, groups, service accounts (explicit and
// defaulted namespace), RoleBindings to Roles and ClusterRoles (namespaced effect),
// ClusterRoleBindings, system:masters, removal and stale events.
import { describe, expect, it } from "vitest";
import { buildPolicy, clusterBinding, clusterRole, resourceAttrs, role, roleBinding, user } from "./fixture.js";

const podReader = clusterRole("pod-reader", [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }]);
const cmWriter = role("team", "cm-writer", [{ verbs: ["create"], apiGroups: [""], resources: ["configmaps"] }]);

const policy = () =>
  buildPolicy([
    podReader,
    cmWriter,
    clusterBinding("alice-reads", "pod-reader", [{ kind: "User", name: "alice" }]),
    roleBinding("team", "devs-write", { kind: "Role", name: "cm-writer" }, [{ kind: "Group", name: "devs" }]),
    roleBinding("team", "bob-reads", { kind: "ClusterRole", name: "pod-reader" }, [{ kind: "User", name: "bob" }]),
    roleBinding("team", "sa-reads", { kind: "ClusterRole", name: "pod-reader" }, [{ kind: "ServiceAccount", name: "builder" }]),
    roleBinding("other", "sa-explicit", { kind: "ClusterRole", name: "pod-reader" }, [{ kind: "ServiceAccount", name: "deployer", namespace: "ci" }]),
    clusterBinding("sa-no-ns", "pod-reader", [{ kind: "ServiceAccount", name: "ghost" }]),
    roleBinding("team", "dangling", { kind: "Role", name: "missing" }, [{ kind: "User", name: "carol" }]),
  ]);

const sa = (ns: string, name: string) => ({ username: `system:serviceaccount:${ns}:${name}`, groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"] });

const cases: { name: string; u: ReturnType<typeof user>; verb: string; resource: string; namespace?: string; want: boolean }[] = [
  { name: "cluster binding, any namespace", u: user("alice"), verb: "list", resource: "pods", namespace: "x", want: true },
  { name: "cluster binding, cluster scope", u: user("alice"), verb: "list", resource: "pods", want: true },
  { name: "cluster binding, verb not in role", u: user("alice"), verb: "delete", resource: "pods", namespace: "x", want: false },
  { name: "group role binding in its namespace", u: user("dan", ["devs"]), verb: "create", resource: "configmaps", namespace: "team", want: true },
  { name: "group role binding elsewhere", u: user("dan", ["devs"]), verb: "create", resource: "configmaps", namespace: "prod", want: false },
  { name: "role binding to cluster role: its namespace", u: user("bob"), verb: "get", resource: "pods", namespace: "team", want: true },
  { name: "role binding to cluster role: other namespace", u: user("bob"), verb: "get", resource: "pods", namespace: "prod", want: false },
  { name: "role binding to cluster role: cluster scope", u: user("bob"), verb: "list", resource: "pods", want: false },
  { name: "SA subject defaults to the binding's namespace", u: sa("team", "builder"), verb: "get", resource: "pods", namespace: "team", want: true },
  { name: "SA of the same name elsewhere", u: sa("prod", "builder"), verb: "get", resource: "pods", namespace: "team", want: false },
  { name: "SA subject with explicit namespace", u: sa("ci", "deployer"), verb: "get", resource: "pods", namespace: "other", want: true },
  { name: "SA in a cluster binding without namespace matches nobody", u: sa("default", "ghost"), verb: "get", resource: "pods", namespace: "default", want: false },
  { name: "binding to a missing role grants nothing", u: user("carol"), verb: "get", resource: "pods", namespace: "team", want: false },
  { name: "unknown user", u: user("mallory"), verb: "get", resource: "pods", namespace: "team", want: false },
  { name: "system:masters", u: user("root", ["system:masters"]), verb: "delete", resource: "nodes", want: true },
];

describe("RBAC decisions", () => {
  it.each(cases)("$name", ({ u, verb, resource, namespace, want }) => {
    const { decider } = policy();
    const attrs = resourceAttrs(u, verb, resource, namespace ? { namespace } : {});
    expect(decider.decide(attrs).allowed).toBe(want);
  });

  it("says which binding allowed a request", () => {
    const { decider } = policy();
    expect(decider.decide(resourceAttrs(user("bob"), "get", "pods", { namespace: "team" })).reason).toBe(
      'RBAC: allowed by RoleBinding "bob-reads/team" of ClusterRole "pod-reader" to User "bob"',
    );
    expect(decider.decide(resourceAttrs(sa("team", "builder"), "get", "pods", { namespace: "team" })).reason).toContain('to ServiceAccount "builder/team"');
  });

  it("denies by default with a reason", () => {
    const d = buildPolicy([]).decider.decide(resourceAttrs(user("alice"), "get", "pods", { namespace: "x" }));
    expect(d).toEqual({ allowed: false, reason: 'RBAC: no rule bound to user "alice" allows it' });
  });

  it("non-resource URLs come from cluster bindings only", () => {
    const { decider } = buildPolicy([
      clusterRole("health", [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/apis/*"] }]),
      clusterBinding("everyone", "health", [{ kind: "Group", name: "system:authenticated" }]),
    ]);
    expect(decider.decide({ user: user("x"), verb: "get", resourceRequest: false, path: "/apis/apps" }).allowed).toBe(true);
    expect(decider.decide({ user: user("x"), verb: "get", resourceRequest: false, path: "/metrics" }).allowed).toBe(false);
  });

  it("follows updates and deletes, ignoring stale revisions", () => {
    const { cache, decider } = policy();
    const attrs = resourceAttrs(user("alice"), "get", "pods", { namespace: "x" });
    cache.remove("clusterrolebindings", { name: "alice-reads" }, 100);
    expect(decider.decide(attrs).allowed).toBe(false);
    // A late event for the older value must not bring the binding back.
    cache.put("clusterrolebindings", { name: "alice-reads", roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "pod-reader" }, subjects: [{ kind: "User", name: "alice" }] }, 50);
    expect(decider.decide(attrs).allowed).toBe(false);
    cache.put("clusterroles", { name: "pod-reader", rules: [{ verbs: ["*"], apiGroups: [""], resources: ["pods"] }], labels: {} }, 101);
    expect(decider.decide(resourceAttrs(user("bob"), "delete", "pods", { namespace: "team", name: "p" })).allowed).toBe(true);
  });

  it("lists a user's rules for a namespace", () => {
    const { resolver } = policy();
    expect(resolver.rulesFor(user("dan", ["devs"]), "team")).toEqual([{ verbs: ["create"], apiGroups: [""], resources: ["configmaps"] }]);
    expect(resolver.rulesFor(user("dan", ["devs"]), "prod")).toEqual([]);
  });

  it("retains only what a relist holds", () => {
    const { cache } = policy();
    cache.retainOnly(new Set(["clusterroles/pod-reader", "clusterrolebindings/alice-reads"]), 1000);
    expect(cache.bindingCount()).toBe(1);
    expect(cache.role("team", "cm-writer")).toBeUndefined();
  });
});
