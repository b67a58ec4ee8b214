// Object name rules per kind, with Kubernetes' messages (kubectl users see them verbatim).
import { fieldCause, type StatusCause } from "../errors.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export type NameRule = "subdomain" | "label" | "path-segment";

/** Kinds whose names must be DNS-1123 labels; RBAC kinds accept any path segment. */
const LABEL_KINDS = new Set(["Namespace", "Service"]);
const PATH_SEGMENT_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "Node"]);

export function nameRuleFor(kind: string): NameRule {
  if (LABEL_KINDS.has(kind)) return "label";
  if (PATH_SEGMENT_KINDS.has(kind)) return "path-segment";
  return "subdomain";
}

export function validateName(name: string, rule: NameRule, field = "metadata.name"): StatusCause[] {
  const bad = (msg: string) => [fieldCause("FieldValueInvalid", field, `Invalid value: ${JSON.stringify(name)}: ${msg}`)];
  if (rule === "path-segment") {
    if (name === "." || name === "..") return bad(`may not be '${name}'`);
    if (/[/%]/.test(name)) return bad("may not contain '/' or '%'");
    return [];
  }
  if (rule === "label") {
    if (name.length > 63) return bad("must be no more than 63 characters");
    if (!DNS1123_LABEL.test(name)) {
      return bad(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      );
    }
    return [];
  }
  if (name.length > 253) return bad("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return bad(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return [];
}

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}
