// Kubernetes' RequestInfo rules (apiserver/pkg/endpoints/request/requestinfo.go), as a pure
// function: which verb, group, version, resource, subresource, namespace and name a request is
// about, or that it is a non-resource request (/healthz, /version, /api, /apis/apps/v1).
import type { AuthzAttributes } from "./types.js";

/** Everything of AuthzAttributes but the user: what the URL and method say. */
export type RequestInfo = Omit<AuthzAttributes, "user">;

const API_PREFIXES = new Set(["api", "apis"]);
const GROUPLESS_PREFIXES = new Set(["api"]);
/** Verbs that may come first in a path: /api/v1/watch/pods, /api/v1/proxy/nodes/n. */
const SPECIAL_VERBS = new Set(["proxy", "watch"]);
/** Subresources of a namespace itself (/api/v1/namespaces/x/status), not namespaced resources. */
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

const METHOD_VERBS: Record<string, string> = { POST: "create", GET: "get", HEAD: "get", PUT: "update", PATCH: "patch", DELETE: "delete" };

export interface RequestInfoInput {
  method: string;
  /** The path without the query string. */
  path: string;
  query?: URLSearchParams;
}

/** Splits a request URL ("/api/v1/pods?watch=1") into the parser's input. */
export function splitUrl(method: string, url: string): RequestInfoInput {
  const q = url.indexOf("?");
  return q < 0 ? { method, path: url } : { method, path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

function nonResource(input: RequestInfoInput): RequestInfo {
  return { resourceRequest: false, verb: input.method.toLowerCase(), path: input.path };
}

export function parseRequestInfo(input: RequestInfoInput): RequestInfo {
  let parts = input.path.split("/").filter((p) => p !== "").map(safeDecode);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0] ?? "")) return nonResource(input);
  const prefix = parts[0] ?? "";
  parts = parts.slice(1);
  let apiGroup = "";
  if (!GROUPLESS_PREFIXES.has(prefix)) {
    if (parts.length < 3) return nonResource(input);
    apiGroup = parts[0] ?? "";
    parts = parts.slice(1);
  }
  const apiVersion = parts[0] ?? "";
  parts = parts.slice(1);
  let verb: string;
  const first = parts[0] ?? "";
  if (SPECIAL_VERBS.has(first)) {
    // Kubernetes answers "unable to determine kind and namespace from url" here; a
    // non-resource request is the closest deny-by-default reading.
    if (parts.length < 2) return nonResource(input);
    verb = first;
    parts = parts.slice(1);
  } else {
    verb = METHOD_VERBS[input.method.toUpperCase()] ?? "";
  }
  let namespace: string | undefined;
  if (parts[0] === "namespaces" && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? "")) parts = parts.slice(2);
  }
  const info: RequestInfo = { resourceRequest: true, verb, apiGroup, apiVersion, resource: parts[0] ?? "" };
  if (namespace !== undefined) info.namespace = namespace;
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 3 && verb !== "proxy") info.subresource = parts[2];
  return refineCollectionVerb(info, input.query);
}

/** get without a name is list or watch; delete without a name is deletecollection. */
function refineCollectionVerb(info: RequestInfo, query: URLSearchParams | undefined): RequestInfo {
  if (info.name === undefined && info.verb === "get") {
    info.verb = isTruthy(query?.get("watch")) ? "watch" : "list";
    const name = exactNameSelector(query?.get("fieldSelector"));
    if (name !== undefined) info.name = name;
  }
  if (info.name === undefined && info.verb === "delete") info.verb = "deletecollection";
  return info;
}

function isTruthy(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return !["false", "0"].includes(value.toLowerCase());
}

/** `metadata.name=x` (or `==`) as the only term names the object, as Kubernetes reads it. */
function exactNameSelector(selector: string | null | undefined): string | undefined {
  if (!selector) return undefined;
  const m = /^metadata\.name==?([^,=!]+)$/.exec(selector.trim());
  const name = m?.[1];
  if (name === undefined || name === "." || name === ".." || /[/%]/.test(name)) return undefined;
  return name;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
