// The REST mapping: kind + apiVersion -> resource path and scope, from the server's discovery
// documents (/api/v1, /apis/GROUP/VERSION). Each group version is fetched once and cached; a
// kind missing from the cache refetches its group version once, so CRDs created while berth
// runs are found without restarting (model: client-go restmapper's DeferredDiscoveryRESTMapper).
import { NotFoundError } from "../../core/errors.js";
import { apiStatusOf } from "./errors.js";
import { isRecord, splitApiVersion, type TypeRef } from "./objects.js";
import type { Transport } from "./transport.js";

export interface ResourceMapping {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, e.g. "deployments". */
  resource: string;
  namespaced: boolean;
  verbs: string[];
  /** Whether a `/status` subresource exists. */
  hasStatus: boolean;
}

export class RestMapper {
  private readonly cache = new Map<string, Promise<Map<string, ResourceMapping>>>();

  constructor(private readonly transport: Transport) {}

  /** The mapping for a kind; NotFoundError naming kind and version when the server has none. */
  async mapping(type: TypeRef): Promise<ResourceMapping> {
    const cached = await this.groupVersion(type.apiVersion, { refresh: false });
    const hit = cached.get(type.kind);
    if (hit) return hit;
    const fresh = await this.groupVersion(type.apiVersion, { refresh: true });
    const found = fresh.get(type.kind);
    if (found) return found;
    throw new NotFoundError(`no matches for kind "${type.kind}" in version "${type.apiVersion}"`, {
      hint: "is the CRD installed? check `kubectl api-resources`",
    });
  }

  /** Forgets everything; the next lookups read discovery again. */
  invalidate(): void {
    this.cache.clear();
  }

  private groupVersion(apiVersion: string, options: { refresh: boolean }): Promise<Map<string, ResourceMapping>> {
    const cached = this.cache.get(apiVersion);
    if (cached && !options.refresh) return cached;
    const loading = this.load(apiVersion);
    this.cache.set(apiVersion, loading);
    // A failed load must not stay cached as a rejected promise.
    loading.catch(() => this.cache.delete(apiVersion));
    return loading;
  }

  private async load(apiVersion: string): Promise<Map<string, ResourceMapping>> {
    const { group, version } = splitApiVersion(apiVersion);
    const path = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
    let doc: unknown;
    try {
      doc = await this.transport.json({ method: "GET", path, what: `discover ${apiVersion}` });
    } catch (err) {
      if (apiStatusOf(err)?.code === 404) return new Map();
      throw err;
    }
    return parseResourceList(doc, { group, version });
  }
}

function parseResourceList(doc: unknown, gv: { group: string; version: string }): Map<string, ResourceMapping> {
  const out = new Map<string, ResourceMapping>();
  if (!isRecord(doc) || !Array.isArray(doc.resources)) return out;
  const entries = doc.resources.filter(isRecord);
  const subresources = new Set(entries.map((r) => r.name).filter((n): n is string => typeof n === "string" && n.includes("/")));
  for (const r of entries) {
    if (typeof r.name !== "string" || typeof r.kind !== "string" || r.name.includes("/")) continue;
    out.set(r.kind, {
      group: gv.group,
      version: gv.version,
      kind: r.kind,
      resource: r.name,
      namespaced: r.namespaced === true,
      verbs: Array.isArray(r.verbs) ? r.verbs.filter((v): v is string => typeof v === "string") : [],
      hasStatus: subresources.has(`${r.name}/status`),
    });
  }
  return out;
}
