// Covers (Kubernetes' validation.Covers) and the escalation check on role and binding writes.
import { describe, expect, it } from "vitest";
import { compactString, covers } from "../../../../orchestrator/auth/rbac/covers.js";
import { checkEscalation } from "../../../../orchestrator/auth/rbac/escalation.js";
import type { PolicyRule } from "../../../../orchestrator/auth/rbac/policy.js";
import { buildPolicy, clusterBinding, clusterRole, role, roleBinding, user, type Obj } from "./fixture.js";

const coverCases: { name: string; held: PolicyRule[]; wanted: PolicyRule[]; want: boolean }[] = [
  { name: "same rule", held: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], wanted: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], want: true },
  { name: "subset of verbs across rules", held: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }, { verbs: ["list"], apiGroups: [""], resources: ["pods"] }], wanted: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }], want: true },
  { name: "more verbs", held: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], wanted: [{ verbs: ["get", "delete"], apiGroups: [""], resources: ["pods"] }], want: false },
  { name: "wildcards cover all", held: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }], wanted: [{ verbs: ["get"], apiGroups: ["apps"], resources: ["deployments/scale"], resourceNames: ["x"] }], want: true },
  { name: "a wildcard to grant needs a wildcard", held: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }], wanted: [{ verbs: ["*"], apiGroups: [""], resources: ["pods"] }], want: false },
  { name: "*/scale covers deployments/scale", held: [{ verbs: ["get"], apiGroups: ["apps"], resources: ["*/scale"] }], wanted: [{ verbs: ["get"], apiGroups: ["apps"], resources: ["deployments/scale"] }], want: true },
  { name: "named held does not cover unnamed", held: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a"] }], wanted: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }], want: false },
  { name: "unnamed held covers named", held: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }], wanted: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a"] }], want: true },
  { name: "URL prefix covers URL", held: [{ verbs: ["get"], nonResourceURLs: ["/apis/*"] }], wanted: [{ verbs: ["get"], nonResourceURLs: ["/apis/apps"] }], want: true },
  { name: "URL not held", held: [{ verbs: ["get"], nonResourceURLs: ["/healthz"] }], wanted: [{ verbs: ["get"], nonResourceURLs: ["/metrics"] }], want: false },
];

describe("covers", () => {
  it.each(coverCases)("$name", ({ held, wanted, want }) => {
    expect(covers(held, wanted).covered).toBe(want);
  });

  it("prints rules as Kubernetes' CompactString", () => {
    expect(compactString({ verbs: ["create", "get"], apiGroups: [""], resources: ["pods"] })).toBe('{APIGroups:[""], Resources:["pods"], Verbs:["create" "get"]}');
    expect(compactString({ verbs: ["get"], nonResourceURLs: ["/x"] })).toBe('{NonResourceURLs:["/x"], Verbs:["get"]}');
  });
});

const world = () =>
  buildPolicy([
    clusterRole("reader", [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }]),
    clusterRole("writer", [{ verbs: ["*"], apiGroups: [""], resources: ["pods"] }]),
    clusterRole("rbac-editor", [{ verbs: ["get", "list", "create", "update", "patch", "delete"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"] }]),
    clusterRole("escalator", [{ verbs: ["escalate"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"] }]),
    clusterRole("binder", [{ verbs: ["bind"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: ["writer"] }]),
    role("team", "pod-writer", [{ verbs: ["create", "delete"], apiGroups: [""], resources: ["pods"] }]),
    roleBinding("team", "eve-reads", { kind: "ClusterRole", name: "reader" }, [{ kind: "User", name: "eve" }]),
    roleBinding("team", "eve-rbac", { kind: "ClusterRole", name: "rbac-editor" }, [{ kind: "User", name: "eve" }]),
    clusterBinding("esc", "escalator", [{ kind: "User", name: "esc" }]),
    roleBinding("team", "esc-rbac", { kind: "ClusterRole", name: "rbac-editor" }, [{ kind: "User", name: "esc" }]),
    clusterBinding("binder", "binder", [{ kind: "User", name: "bindy" }]),
  ]);

function attempt(username: string, resource: "roles" | "rolebindings" | "clusterroles" | "clusterrolebindings", obj: Obj, old?: Obj): string | undefined {
  const { decider, resolver } = world();
  try {
    checkEscalation({ decider, resolver }, { user: user(username), resource, obj, old });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

describe("escalation check", () => {
  it("lets a user create a role within their rights", () => {
    expect(attempt("eve", "roles", role("team", "mine", [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }]))).toBeUndefined();
  });

  it("refuses a role with rights the user lacks, with Kubernetes' message", () => {
    const msg = attempt("eve", "roles", role("team", "more", [{ verbs: ["get", "create", "delete"], apiGroups: [""], resources: ["pods"] }, { verbs: ["get"], apiGroups: [""], resources: ["secrets"] }]));
    expect(msg).toBe(
      'roles.rbac.authorization.k8s.io "more" is forbidden: user "eve" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["create" "delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
    );
  });

  it("rights in another namespace do not count", () => {
    expect(attempt("eve", "roles", role("prod", "mine", [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }]))).toContain("not currently held");
  });

  it("escalate on roles allows any rules", () => {
    expect(attempt("esc", "roles", role("team", "big", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]))).toBeUndefined();
  });

  it("a metadata-only update of a role needs nothing", () => {
    const big = role("team", "big", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]);
    expect(attempt("eve", "roles", { ...big, metadata: { namespace: "team", name: "big", labels: { a: "b" } } }, big)).toBeUndefined();
  });

  it("an aggregationRule needs full authority", () => {
    const agg = clusterRole("agg", [], { aggregate: [{ x: "y" }] });
    expect(attempt("root", "clusterroles", agg)).toBe('clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule');
  });

  it("binding a role whose rules the user holds is allowed", () => {
    expect(attempt("eve", "rolebindings", roleBinding("team", "b", { kind: "ClusterRole", name: "reader" }, [{ kind: "User", name: "x" }]))).toBeUndefined();
  });

  it("binding a role with more rights is refused", () => {
    const msg = attempt("eve", "rolebindings", roleBinding("team", "b", { kind: "Role", name: "pod-writer" }, [{ kind: "User", name: "eve" }]));
    expect(msg).toMatch(/^rolebindings\.rbac\.authorization\.k8s\.io "b" is forbidden: user "eve" .* not currently held:\n\{APIGroups:\[""\], Resources:\["pods"\], Verbs:\["create" "delete"\]\}$/);
  });

  it("bind on the named role allows binding it", () => {
    expect(attempt("bindy", "clusterrolebindings", clusterBinding("b", "writer", [{ kind: "User", name: "bindy" }]))).toBeUndefined();
    expect(attempt("bindy", "clusterrolebindings", clusterBinding("b", "rbac-editor", [{ kind: "User", name: "bindy" }]))).toContain("not currently held");
  });

  it("binding a missing role is refused", () => {
    expect(attempt("eve", "rolebindings", roleBinding("team", "b", { kind: "Role", name: "nope" }, []))).toContain('roles.rbac.authorization.k8s.io "nope" not found');
  });

  it("roleRef cannot change", () => {
    const old = roleBinding("team", "b", { kind: "ClusterRole", name: "reader" }, []);
    expect(attempt("eve", "rolebindings", roleBinding("team", "b", { kind: "ClusterRole", name: "writer" }, []), old)).toContain("cannot change roleRef");
  });

  it("system:masters passes", () => {
    const { decider, resolver } = world();
    expect(() => checkEscalation({ decider, resolver }, { user: user("root", ["system:masters"]), resource: "clusterroles", obj: clusterRole("x", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]) })).not.toThrow();
  });
});
