import { describe, expect, it } from "vitest";
import { parseRequestInfo, splitUrl, type RequestInfo } from "../../../orchestrator/auth/requestInfo.js";

const cases: { method: string; url: string; want: RequestInfo }[] = [
  { method: "GET", url: "/api/v1/namespaces/default/pods/web", want: { resourceRequest: true, verb: "get", apiGroup: "", apiVersion: "v1", resource: "pods", namespace: "default", name: "web" } },
  { method: "GET", url: "/api/v1/namespaces/default/pods", want: { resourceRequest: true, verb: "list", apiGroup: "", apiVersion: "v1", resource: "pods", namespace: "default" } },
  { method: "GET", url: "/api/v1/pods?watch=true", want: { resourceRequest: true, verb: "watch", apiGroup: "", apiVersion: "v1", resource: "pods" } },
  { method: "GET", url: "/api/v1/pods?watch=1&resourceVersion=5", want: { resourceRequest: true, verb: "watch", apiGroup: "", apiVersion: "v1", resource: "pods" } },
  { method: "GET", url: "/api/v1/pods?watch=false", want: { resourceRequest: true, verb: "list", apiGroup: "", apiVersion: "v1", resource: "pods" } },
  { method: "GET", url: "/api/v1/watch/namespaces/ns/pods/p", want: { resourceRequest: true, verb: "watch", apiGroup: "", apiVersion: "v1", resource: "pods", namespace: "ns", name: "p" } },
  { method: "GET", url: "/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dweb", want: { resourceRequest: true, verb: "list", apiGroup: "", apiVersion: "v1", resource: "pods", namespace: "ns", name: "web" } },
  { method: "GET", url: "/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dweb,status.phase%3DRunning", want: { resourceRequest: true, verb: "list", apiGroup: "", apiVersion: "v1", resource: "pods", namespace: "ns" } },
  { method: "POST", url: "/apis/apps/v1/namespaces/prod/deployments", want: { resourceRequest: true, verb: "create", apiGroup: "apps", apiVersion: "v1", resource: "deployments", namespace: "prod" } },
  { method: "PUT", url: "/apis/apps/v1/namespaces/prod/deployments/web/scale", want: { resourceRequest: true, verb: "update", apiGroup: "apps", apiVersion: "v1", resource: "deployments", subresource: "scale", namespace: "prod", name: "web" } },
  { method: "PATCH", url: "/api/v1/namespaces/ns/pods/p/status", want: { resourceRequest: true, verb: "patch", apiGroup: "", apiVersion: "v1", resource: "pods", subresource: "status", namespace: "ns", name: "p" } },
  { method: "DELETE", url: "/api/v1/namespaces/ns/pods/p", want: { resourceRequest: true, verb: "delete", apiGroup: "", apiVersion: "v1", resource: "pods", namespace: "ns", name: "p" } },
  { method: "DELETE", url: "/api/v1/namespaces/ns/pods", want: { resourceRequest: true, verb: "deletecollection", apiGroup: "", apiVersion: "v1", resource: "pods", namespace: "ns" } },
  { method: "GET", url: "/api/v1/namespaces/kube-system", want: { resourceRequest: true, verb: "get", apiGroup: "", apiVersion: "v1", resource: "namespaces", namespace: "kube-system", name: "kube-system" } },
  { method: "PUT", url: "/api/v1/namespaces/ns/finalize", want: { resourceRequest: true, verb: "update", apiGroup: "", apiVersion: "v1", resource: "namespaces", subresource: "finalize", namespace: "ns", name: "ns" } },
  { method: "GET", url: "/api/v1/namespaces", want: { resourceRequest: true, verb: "list", apiGroup: "", apiVersion: "v1", resource: "namespaces" } },
  { method: "GET", url: "/api/v1/nodes/n1", want: { resourceRequest: true, verb: "get", apiGroup: "", apiVersion: "v1", resource: "nodes", name: "n1" } },
  { method: "POST", url: "/api/v1/namespaces/ns/serviceaccounts/robot/token", want: { resourceRequest: true, verb: "create", apiGroup: "", apiVersion: "v1", resource: "serviceaccounts", subresource: "token", namespace: "ns", name: "robot" } },
  { method: "GET", url: "/api/v1/proxy/namespaces/ns/pods/p/a/b", want: { resourceRequest: true, verb: "proxy", apiGroup: "", apiVersion: "v1", resource: "pods", namespace: "ns", name: "p" } },
  { method: "GET", url: "/apis/rbac.authorization.k8s.io/v1/clusterroles", want: { resourceRequest: true, verb: "list", apiGroup: "rbac.authorization.k8s.io", apiVersion: "v1", resource: "clusterroles" } },
  { method: "OPTIONS", url: "/api/v1/pods/x", want: { resourceRequest: true, verb: "", apiGroup: "", apiVersion: "v1", resource: "pods", name: "x" } },
  // Non-resource requests: the verb is the lower-cased method, the path without the query.
  { method: "GET", url: "/healthz?verbose", want: { resourceRequest: false, verb: "get", path: "/healthz" } },
  { method: "GET", url: "/api", want: { resourceRequest: false, verb: "get", path: "/api" } },
  { method: "GET", url: "/api/v1", want: { resourceRequest: false, verb: "get", path: "/api/v1" } },
  { method: "GET", url: "/apis/apps/v1", want: { resourceRequest: false, verb: "get", path: "/apis/apps/v1" } },
  { method: "GET", url: "/openapi/v3/apis/apps/v1", want: { resourceRequest: false, verb: "get", path: "/openapi/v3/apis/apps/v1" } },
  { method: "POST", url: "/version", want: { resourceRequest: false, verb: "post", path: "/version" } },
  { method: "GET", url: "/api/v1/watch", want: { resourceRequest: false, verb: "get", path: "/api/v1/watch" } },
];

describe("parseRequestInfo", () => {
  it.each(cases)("$method $url", ({ method, url, want }) => {
    expect(parseRequestInfo(splitUrl(method, url))).toEqual(want);
  });
});
