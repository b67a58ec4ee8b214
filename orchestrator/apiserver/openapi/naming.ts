// Maps client-node class names to the definition names Kubernetes uses in its OpenAPI
// documents ("V1PodSpec" → "io.k8s.api.core.v1.PodSpec"), and a served kind to its class.
// client-node drops the Go package from most names, so a nested type takes the package of
// the first kind that reaches it, with the core kinds seeded first (PodTemplateSpec is core).

const META_TYPES = new Set([
  "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition", "DeleteOptions",
  "FieldsV1", "GroupVersionForDiscovery", "LabelSelector", "LabelSelectorRequirement", "ListMeta",
  "ManagedFieldsEntry", "MicroTime", "ObjectMeta", "OwnerReference", "Patch", "Preconditions",
  "ServerAddressByClientCIDR", "Status", "StatusCause", "StatusDetails", "Time", "WatchEvent",
]);

export const TIME_DEF = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
export const MICROTIME_DEF = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
export const INT_OR_STRING_DEF = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
export const OBJECT_META_DEF = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

export interface ParsedModelName {
  /** Package hint from a prefixed name ("CoreV1EndpointPort" → "core"), if any. */
  prefix?: string;
  version: string;
  short: string;
}

export function parseModelName(name: string): ParsedModelName | undefined {
  const m = /^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/.exec(name);
  if (!m) return undefined;
  const version = m[2].charAt(0).toLowerCase() + m[2].slice(1);
  return { prefix: m[1]?.toLowerCase(), version, short: m[3] };
}

/** The Go package segment Kubernetes uses for an API group. */
export function groupPackage(group: string): string {
  if (group === "") return "core";
  if (group === "rbac.authorization.k8s.io") return "rbac";
  return group.split(".")[0];
}

function packagePrefix(pkg: string, version: string): string {
  if (pkg === "apiextensions") return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  if (pkg === "apiregistration") return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}`;
  return `io.k8s.api.${pkg}.${version}`;
}

/** Definition name of a model, given the package of the kind that reached it. */
export function definitionName(model: string, ownerPackage: string): string {
  const parsed = parseModelName(model);
  if (!parsed) return model;
  if (parsed.version === "v1" && META_TYPES.has(parsed.short)) return `io.k8s.apimachinery.pkg.apis.meta.v1.${parsed.short}`;
  return `${packagePrefix(parsed.prefix ?? ownerPackage, parsed.version)}.${parsed.short}`;
}

/** Candidate client-node class names for a served kind, most specific first. */
export function kindModelCandidates(group: string, version: string, kind: string): string[] {
  const v = version.charAt(0).toUpperCase() + version.slice(1);
  const pkg = groupPackage(group);
  const prefixed = `${pkg.charAt(0).toUpperCase()}${pkg.slice(1)}${v}${kind}`;
  return [prefixed, `${v}${kind}`];
}

/** Reverse-domain name Kubernetes gives CRD schemas: "stable.example.com" → "com.example.stable". */
export function customDefinitionName(group: string, version: string, kind: string): string {
  return `${group.split(".").reverse().join(".")}.${version}.${kind}`;
}
