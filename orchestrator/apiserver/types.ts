// Shared shapes of the API server: what a served resource is (the registry's entries), so
// discovery, OpenAPI, REST handlers and `berth cluster` agree on one description.

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export interface ResourceInfo {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural, lower-case: "deployments". */
  resource: string;
  singular: string;
  namespaced: boolean;
  verbs: Verb[];
  shortNames?: string[];
  categories?: string[];
  /** Subresources served, e.g. ["status", "scale", "binding"]. */
  subresources?: string[];
  /** Defined by a CustomResourceDefinition (served while the CRD exists). */
  custom?: boolean;
  /** Where the scale subresource reads and writes; absent: .spec.replicas, .status.replicas, .spec.selector. */
  scale?: ScalePaths;
}

/** A CRD's subresources.scale: JSON paths such as ".spec.replicas". */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export function groupVersion(r: Pick<ResourceInfo, "group" | "version">): string {
  return r.group === "" ? r.version : `${r.group}/${r.version}`;
}
