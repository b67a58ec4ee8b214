// 401 and 403 answers worded exactly as kube-apiserver words them (responsewriters.Forbidden,
// apierrors.NewForbidden, apierrors.NewUnauthorized), so kubectl prints the familiar lines.
import type { AuthzAttributes } from "./types.js";

export interface AuthStatus {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: "Unauthorized" | "Forbidden" | "InternalError" | "BadRequest";
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

export function unauthorizedStatus(): AuthStatus {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 };
}

/** `User "alice" cannot create resource "pods" in API group "" in the namespace "default"`. */
export function forbiddenMessage(attributes: AuthzAttributes): string {
  const user = attributes.user.username;
  if (!attributes.resourceRequest) return `User ${quote(user)} cannot ${attributes.verb} path ${quote(attributes.path ?? "")}`;
  const resource = attributes.subresource ? `${attributes.resource ?? ""}/${attributes.subresource}` : attributes.resource ?? "";
  const head = `User ${quote(user)} cannot ${attributes.verb} resource ${quote(resource)} in API group ${quote(attributes.apiGroup ?? "")}`;
  return attributes.namespace ? `${head} in the namespace ${quote(attributes.namespace)}` : `${head} at the cluster scope`;
}

/** The full 403 Status; `reason` (the authorizer's, when it has one) follows the message. */
export function forbiddenStatus(attributes: AuthzAttributes, reason = ""): AuthStatus {
  const detail = reason ? `${forbiddenMessage(attributes)}: ${reason}` : forbiddenMessage(attributes);
  const group = attributes.apiGroup ?? "";
  const resource = attributes.resourceRequest ? attributes.resource ?? "" : "";
  const qualified = group ? `${resource}.${group}` : resource;
  let message: string;
  if (!qualified) message = `forbidden: ${detail}`;
  else if (attributes.name) message = `${qualified} ${quote(attributes.name)} is forbidden: ${detail}`;
  else message = `${qualified} is forbidden: ${detail}`;
  const details: NonNullable<AuthStatus["details"]> = {};
  if (attributes.name && qualified) details.name = attributes.name;
  if (group) details.group = group;
  if (resource) details.kind = resource;
  const status: AuthStatus = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Forbidden", code: 403 };
  if (Object.keys(details).length > 0) status.details = details;
  return status;
}

export function badRequestStatus(message: string): AuthStatus {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "BadRequest", code: 400 };
}

/** Go's %q for the names Kubernetes prints: JSON quoting matches it for printable text. */
function quote(value: string): string {
  return JSON.stringify(value);
}
