// Which resources are served: the built-ins plus CRD-defined ones added and removed at run
// time. Discovery, OpenAPI and the REST handlers all read this one registry.
import { BUILTIN_RESOURCES } from "./builtins.js";
import type { ResourceInfo } from "./types.js";

export interface GroupVersions {
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
}

type Listener = () => void;

export class ResourceRegistry {
  private readonly byResource = new Map<string, ResourceInfo>();
  private readonly byKindKey = new Map<string, ResourceInfo>();
  private readonly listeners = new Set<Listener>();
  /** Preferred (storage) version per custom group; built-ins have one version each. */
  private readonly preferred = new Map<string, string>();

  constructor(resources: readonly ResourceInfo[] = BUILTIN_RESOURCES) {
    for (const r of resources) this.index(r);
  }

  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.byResource.get(`${group}/${version}/${resource}`);
  }

  byKind(group: string, version: string, kind: string): ResourceInfo | undefined {
    return this.byKindKey.get(`${group}/${version}/${kind}`);
  }

  all(): ResourceInfo[] {
    return [...this.byResource.values()];
  }

  resources(group: string, version: string): ResourceInfo[] {
    return this.all().filter((r) => r.group === group && r.version === version);
  }

  /** Groups in a stable order: core first, then built-in groups as declared, then custom ones by name. */
  groups(): GroupVersions[] {
    const order: string[] = [];
    const versions = new Map<string, string[]>();
    for (const r of this.byResource.values()) {
      let list = versions.get(r.group);
      if (!list) {
        list = [];
        versions.set(r.group, list);
        order.push(r.group);
      }
      if (!list.includes(r.version)) list.push(r.version);
    }
    return order.map((group) => {
      const list = versions.get(group) ?? [];
      const pref = this.preferred.get(group);
      const sorted = pref && list.includes(pref) ? [pref, ...list.filter((v) => v !== pref)] : list;
      return { group, versions: sorted };
    });
  }

  /** Adds or replaces resources (all versions of one CRD at once) and tells listeners. */
  add(resources: ResourceInfo[], options: { preferredVersion?: string } = {}): void {
    for (const r of resources) this.index(r);
    const first = resources[0];
    if (first && options.preferredVersion) this.preferred.set(first.group, options.preferredVersion);
    this.emit();
  }

  /** Removes every version of group/resource; returns whether anything was removed. */
  remove(group: string, resource: string): boolean {
    let removed = false;
    for (const [key, r] of this.byResource) {
      if (r.group !== group || r.resource !== resource) continue;
      this.byResource.delete(key);
      this.byKindKey.delete(`${r.group}/${r.version}/${r.kind}`);
      removed = true;
    }
    if (!this.all().some((r) => r.group === group)) this.preferred.delete(group);
    if (removed) this.emit();
    return removed;
  }

  /** Called after every change, e.g. to drop cached discovery or OpenAPI documents. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private index(r: ResourceInfo): void {
    this.byResource.set(`${r.group}/${r.version}/${r.resource}`, r);
    this.byKindKey.set(`${r.group}/${r.version}/${r.kind}`, r);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
