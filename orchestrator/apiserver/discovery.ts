// Discovery documents: the legacy per-group/version lists and the aggregated documents
// (apidiscovery.k8s.io v2 and v2beta1) kubectl 1.32 asks for first. Built from the registry
// and cached until it changes, since kubectl fetches them on every invocation.
import type { ResourceRegistry } from "./registry.js";
import { groupVersion, type ResourceInfo, type Verb } from "./types.js";

export const KUBE_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.0-berth" };

export function versionInfo(): Record<string, string> {
  return {
    ...KUBE_VERSION,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-01-01T00:00:00Z",
    goVersion: "go1.23",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

const SUBRESOURCE_VERBS: Record<string, Verb[]> = {
  status: ["get", "patch", "update"],
  scale: ["get", "patch", "update"],
  finalize: ["update"],
  binding: ["create"],
};

interface SubresourceShape {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: Verb[];
}

function subresources(r: ResourceInfo): SubresourceShape[] {
  return (r.subresources ?? []).map((name) => {
    if (name === "scale") return { name, kind: "Scale", group: "autoscaling", version: "v1", verbs: SUBRESOURCE_VERBS.scale };
    if (name === "binding") return { name, kind: "Binding", verbs: SUBRESOURCE_VERBS.binding };
    return { name, kind: r.kind, verbs: SUBRESOURCE_VERBS[name] ?? ["get"] };
  });
}

export class Discovery {
  private cache = new Map<string, unknown>();

  constructor(private readonly registry: ResourceRegistry) {
    registry.onChange(() => this.cache.clear());
  }

  private cached(key: string, build: () => unknown): unknown {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const value = build();
    this.cache.set(key, value);
    return value;
  }

  apiVersions(): unknown {
    return this.cached("api", () => ({ kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] }));
  }

  groupList(): unknown {
    return this.cached("apis", () => ({
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: this.registry.groups().filter((g) => g.group !== "").map((g) => groupDoc(g.group, g.versions)),
    }));
  }

  group(name: string): unknown {
    const g = this.registry.groups().find((x) => x.group === name && name !== "");
    return g ? { kind: "APIGroup", apiVersion: "v1", ...groupDoc(g.group, g.versions) } : undefined;
  }

  resourceList(group: string, version: string): unknown {
    return this.cached(`rl/${group}/${version}`, () => {
      const list = this.registry.resources(group, version);
      if (list.length === 0) return undefined;
      const resources: unknown[] = [];
      for (const r of list) {
        const doc: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
        if (r.shortNames) doc.shortNames = r.shortNames;
        if (r.categories) doc.categories = r.categories;
        resources.push(doc);
        for (const s of subresources(r)) {
          const sub: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: "", namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
          if (s.group) sub.group = s.group;
          if (s.version) sub.version = s.version;
          resources.push(sub);
        }
      }
      return { kind: "APIResourceList", apiVersion: "v1", groupVersion: groupVersion({ group, version }), resources };
    });
  }

  /** The aggregated document for /api (core only) or /apis (every other group). */
  aggregated(options: { core: boolean; apiVersion: string }): unknown {
    return this.cached(`agg/${options.core}/${options.apiVersion}`, () => ({
      kind: "APIGroupDiscoveryList",
      apiVersion: options.apiVersion,
      metadata: {},
      items: this.registry
        .groups()
        .filter((g) => (g.group === "") === options.core)
        .map((g) => ({
          metadata: g.group === "" ? {} : { name: g.group },
          versions: g.versions.map((v) => ({ version: v, resources: this.registry.resources(g.group, v).map(aggregatedResource), freshness: "Current" })),
        })),
    }));
  }
}

function groupDoc(group: string, versions: string[]): Record<string, unknown> {
  const gvs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: gvs, preferredVersion: gvs[0] };
}

function aggregatedResource(r: ResourceInfo): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames) doc.shortNames = r.shortNames;
  if (r.categories) doc.categories = r.categories;
  const subs = subresources(r);
  if (subs.length > 0) {
    doc.subresources = subs.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return doc;
}

const AGGREGATED = /g=apidiscovery\.k8s\.io;\s*v=(v2|v2beta1);\s*as=APIGroupDiscoveryList/;

/** The aggregated discovery version the client accepts (v2 preferred), if any. */
export function acceptsAggregated(accept: string | undefined): "v2" | "v2beta1" | undefined {
  if (!accept) return undefined;
  let best: "v2" | "v2beta1" | undefined;
  for (const part of accept.split(",")) {
    const m = AGGREGATED.exec(part.replace(/\s+/g, ""));
    if (m?.[1] === "v2") return "v2";
    if (m?.[1] === "v2beta1") best = "v2beta1";
  }
  return best;
}
