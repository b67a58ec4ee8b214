// Impersonation headers (Impersonate-User, -Group, -Uid, -Extra-KEY), checked as Kubernetes'
// WithImpersonation filter does: the real user needs `impersonate` on users (or the
// ServiceAccount), each group, the uid and each extra value; then the request runs as the
// impersonated user.
import { forbiddenStatus, badRequestStatus, type AuthStatus } from "./status.js";
import type { Authorizer, AuthzAttributes, UserInfo } from "./types.js";

export const ANONYMOUS_USER = "system:anonymous";
export const UNAUTHENTICATED_GROUP = "system:unauthenticated";
const AUTHENTICATED_GROUP = "system:authenticated";
const EXTRA_PREFIX = "impersonate-extra-";
const SA_PREFIX = "system:serviceaccount:";

/** Header name → every value it was sent with (Node's `headersDistinct`). */
export type DistinctHeaders = Record<string, string[] | undefined>;

export type ImpersonationResult = { kind: "none" } | { kind: "impersonated"; user: UserInfo } | { kind: "refused"; status: AuthStatus; reason: string };

interface Requested {
  username?: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

function requested(headers: DistinctHeaders): Requested | undefined {
  const username = headers["impersonate-user"]?.[0];
  const uid = headers["impersonate-uid"]?.[0];
  const groups = headers["impersonate-group"] ?? [];
  const extra: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (!name.startsWith(EXTRA_PREFIX) || !values) continue;
    extra[safeDecode(name.slice(EXTRA_PREFIX.length)).toLowerCase()] = values;
  }
  if (username === undefined && uid === undefined && groups.length === 0 && Object.keys(extra).length === 0) return undefined;
  return { username, uid, groups, extra };
}

/** The authorization checks one impersonation needs, in Kubernetes' order. */
function checks(user: UserInfo, want: Requested & { username: string }): AuthzAttributes[] {
  const base = { user, verb: "impersonate", resourceRequest: true, apiVersion: "v1" };
  const out: AuthzAttributes[] = [];
  if (want.username.startsWith(SA_PREFIX)) {
    const [namespace = "", name = ""] = want.username.slice(SA_PREFIX.length).split(":");
    out.push({ ...base, apiGroup: "", resource: "serviceaccounts", namespace, name });
  } else {
    out.push({ ...base, apiGroup: "", resource: "users", name: want.username });
  }
  for (const group of want.groups) out.push({ ...base, apiGroup: "", resource: "groups", name: group });
  if (want.uid !== undefined) out.push({ ...base, apiGroup: "authentication.k8s.io", resource: "uids", name: want.uid });
  for (const [key, values] of Object.entries(want.extra)) {
    for (const value of values) out.push({ ...base, apiGroup: "authentication.k8s.io", resource: "userextras", subresource: key, name: value });
  }
  return out;
}

function impersonatedUser(want: Requested & { username: string }): UserInfo {
  const groups = [...want.groups];
  if (want.username.startsWith(SA_PREFIX) && groups.length === 0) {
    const namespace = want.username.slice(SA_PREFIX.length).split(":")[0] ?? "";
    groups.push("system:serviceaccounts", `system:serviceaccounts:${namespace}`);
  }
  const implied = want.username === ANONYMOUS_USER ? UNAUTHENTICATED_GROUP : AUTHENTICATED_GROUP;
  if (!groups.includes(implied)) groups.push(implied);
  const user: UserInfo = { username: want.username, groups };
  if (want.uid !== undefined) user.uid = want.uid;
  if (Object.keys(want.extra).length > 0) user.extra = want.extra;
  return user;
}

export async function impersonate(user: UserInfo, headers: DistinctHeaders, authorizer: Authorizer): Promise<ImpersonationResult> {
  const want = requested(headers);
  if (!want) return { kind: "none" };
  const username = want.username;
  if (username === undefined) {
    const message = "requested impersonation of groups, uid or extra without impersonating a user";
    return { kind: "refused", status: badRequestStatus(message), reason: message };
  }
  for (const attributes of checks(user, { ...want, username })) {
    const decision = await authorizer.authorize(attributes);
    if (!decision.allowed) return { kind: "refused", status: forbiddenStatus(attributes, ""), reason: decision.reason };
  }
  return { kind: "impersonated", user: impersonatedUser({ ...want, username }) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
