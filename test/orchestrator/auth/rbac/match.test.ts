// Table tests of one rule against one request: every rule field, wildcards, subresources,
// resourceNames and non-resource URLs.
import { describe, expect, it } from "vitest";
import { ruleAllows } from "../../../../orchestrator/auth/rbac/match.js";
import type { PolicyRule } from "../../../../orchestrator/auth/rbac/policy.js";
import type { AuthzAttributes } from "../../../../orchestrator/auth/types.js";

type Req = Omit<AuthzAttributes, "user">;
const res = (verb: string, resource: string, extra: Partial<Req> = {}): Req => ({ resourceRequest: true, verb, apiGroup: "", resource, ...extra });
const url = (verb: string, path: string): Req => ({ resourceRequest: false, verb, path });

const cases: { name: string; rule: PolicyRule; req: Req; want: boolean }[] = [
  { name: "exact verb, group, resource", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, req: res("get", "pods"), want: true },
  { name: "other verb", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, req: res("create", "pods"), want: false },
  { name: "verb *", rule: { verbs: ["*"], apiGroups: [""], resources: ["pods"] }, req: res("deletecollection", "pods"), want: true },
  { name: "other group", rule: { verbs: ["get"], apiGroups: ["apps"], resources: ["pods"] }, req: res("get", "pods"), want: false },
  { name: "group *", rule: { verbs: ["get"], apiGroups: ["*"], resources: ["deployments"] }, req: res("get", "deployments", { apiGroup: "apps" }), want: true },
  { name: "no apiGroups matches nothing", rule: { verbs: ["get"], resources: ["pods"] }, req: res("get", "pods"), want: false },
  { name: "resource *", rule: { verbs: ["list"], apiGroups: [""], resources: ["*"] }, req: res("list", "secrets"), want: true },
  { name: "resource * covers subresources", rule: { verbs: ["get"], apiGroups: [""], resources: ["*"] }, req: res("get", "pods", { subresource: "log", name: "p" }), want: true },
  { name: "resource does not cover its subresource", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, req: res("get", "pods", { subresource: "log", name: "p" }), want: false },
  { name: "pods/log", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] }, req: res("get", "pods", { subresource: "log", name: "p" }), want: true },
  { name: "pods/log is not pods", rule: { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] }, req: res("get", "pods", { name: "p" }), want: false },
  { name: "*/scale", rule: { verbs: ["update"], apiGroups: ["apps"], resources: ["*/scale"] }, req: res("update", "deployments", { apiGroup: "apps", subresource: "scale", name: "d" }), want: true },
  { name: "*/scale is not */status", rule: { verbs: ["update"], apiGroups: ["apps"], resources: ["*/scale"] }, req: res("update", "deployments", { apiGroup: "apps", subresource: "status", name: "d" }), want: false },
  { name: "*/scale is not the resource", rule: { verbs: ["update"], apiGroups: ["apps"], resources: ["*/scale"] }, req: res("update", "deployments", { apiGroup: "apps", name: "d" }), want: false },
  { name: "resourceNames: named get", rule: { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, req: res("get", "configmaps", { name: "a" }), want: true },
  { name: "resourceNames: other name", rule: { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, req: res("get", "configmaps", { name: "b" }), want: false },
  { name: "resourceNames: list has no name", rule: { verbs: ["list"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, req: res("list", "configmaps"), want: false },
  { name: "resourceNames: watch has no name", rule: { verbs: ["watch"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, req: res("watch", "configmaps"), want: false },
  { name: "resourceNames: create has no name", rule: { verbs: ["create"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, req: res("create", "configmaps"), want: false },
  { name: "resourceNames: deletecollection", rule: { verbs: ["deletecollection"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, req: res("deletecollection", "configmaps"), want: false },
  { name: "resourceNames: list by metadata.name", rule: { verbs: ["list"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }, req: res("list", "configmaps", { name: "a" }), want: true },
  { name: "url exact", rule: { verbs: ["get"], nonResourceURLs: ["/healthz"] }, req: url("get", "/healthz"), want: true },
  { name: "url other", rule: { verbs: ["get"], nonResourceURLs: ["/healthz"] }, req: url("get", "/healthz/etcd"), want: false },
  { name: "url prefix *", rule: { verbs: ["get"], nonResourceURLs: ["/apis/*"] }, req: url("get", "/apis/apps/v1"), want: true },
  { name: "url prefix * is not the bare path", rule: { verbs: ["get"], nonResourceURLs: ["/apis/*"] }, req: url("get", "/apis"), want: false },
  { name: "url *", rule: { verbs: ["get"], nonResourceURLs: ["*"] }, req: url("get", "/metrics"), want: true },
  { name: "url verb", rule: { verbs: ["get"], nonResourceURLs: ["/healthz"] }, req: url("post", "/healthz"), want: false },
  { name: "resource rule does not allow urls", rule: { verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, req: url("get", "/healthz"), want: false },
  { name: "url rule does not allow resources", rule: { verbs: ["*"], nonResourceURLs: ["*"] }, req: res("get", "pods"), want: false },
];

describe("ruleAllows", () => {
  it.each(cases)("$name", ({ rule, req, want }) => {
    expect(ruleAllows(req, rule)).toBe(want);
  });
});
