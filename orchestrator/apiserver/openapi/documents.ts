// Builds and caches the OpenAPI documents of what the registry serves: one Swagger 2.0
// document (/openapi/v2), the OpenAPI 3 index (/openapi/v3) and one OpenAPI 3 document per
// group-version (/openapi/v3/apis/G/V). Documents are rebuilt after the registry changes
// (a CRD added or removed); each carries a content hash used as ETag and in the index URLs.
import { createHash } from "node:crypto";
import type { ResourceRegistry } from "../registry.js";
import type { ResourceInfo } from "../types.js";
import { loadCatalog, type Model } from "./catalog.js";
import { customDefinitionName, groupPackage, kindModelCandidates, OBJECT_META_DEF } from "./naming.js";
import { resourcePaths, type ResourceSchemas } from "./paths.js";
import { assignDefinitionNames, SchemaBuilder, type Dialect, type Schema } from "./schemas.js";

export interface OpenApiOptions {
  /** The openAPIV3Schema of a custom resource version, when its CRD declares one. */
  crdSchema?: (resource: ResourceInfo) => Schema | undefined;
}

export interface RenderedDocument {
  body: string;
  /** Upper-case hex SHA-512 of the body, as Kubernetes puts in `?hash=`. */
  hash: string;
}

// Seeded before the served kinds so shared types get Kubernetes' own package names.
const CORE_KINDS = ["Pod", "PodTemplate", "ReplicationController", "Service", "Endpoints", "Node", "Namespace", "PersistentVolume",
  "PersistentVolumeClaim", "ConfigMap", "Secret", "ServiceAccount", "LimitRange", "ResourceQuota", "Binding", "ComponentStatus"];
const PATCH_DEF = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
const INFO = { title: "Kubernetes", version: "v1.32.0" };

/** The client-node class of a served built-in kind, if client-node knows it. */
export function kindModel(catalog: ReadonlyMap<string, Model>, r: Pick<ResourceInfo, "group" | "version" | "kind">): string | undefined {
  return kindModelCandidates(r.group, r.version, r.kind).find((c) => catalog.has(c));
}

function render(doc: unknown): RenderedDocument {
  const body = JSON.stringify(doc);
  return { body, hash: createHash("sha512").update(body).digest("hex").toUpperCase() };
}

export function gvPath(r: Pick<ResourceInfo, "group" | "version">): string {
  return r.group === "" ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
}

export class OpenApiDocuments {
  private readonly cache = new Map<string, RenderedDocument>();
  private names: Map<string, string> | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly registry: ResourceRegistry, private readonly options: OpenApiOptions = {}) {
    this.unsubscribe = registry.onChange(() => this.invalidate());
  }

  invalidate(): void {
    this.cache.clear();
    this.names = undefined;
  }

  close(): void {
    this.unsubscribe();
  }

  v2(): RenderedDocument {
    return this.cached("v2", () => this.build("v2", this.registry.all(), { swagger: "2.0", info: INFO }));
  }

  /** The OpenAPI 3 document of "api/v1" or "apis/GROUP/VERSION"; undefined when not served. */
  v3(path: string): RenderedDocument | undefined {
    const resources = this.registry.all().filter((r) => gvPath(r) === path);
    if (resources.length === 0) return undefined;
    return this.cached(`v3:${path}`, () => this.build("v3", resources, { openapi: "3.0.0", info: INFO }));
  }

  v3Index(): RenderedDocument {
    return this.cached("v3", () => {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      const gvs = [...new Set(this.registry.all().map(gvPath))].sort();
      for (const p of gvs) {
        const doc = this.v3(p);
        if (doc) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${doc.hash}` };
      }
      return { paths };
    });
  }

  private cached(key: string, build: () => unknown): RenderedDocument {
    let doc = this.cache.get(key);
    if (!doc) {
      doc = render(build());
      this.cache.set(key, doc);
    }
    return doc;
  }

  private definitionNames(catalog: ReadonlyMap<string, Model>): Map<string, string> {
    if (this.names) return this.names;
    const seeds: Array<{ model: string; pkg: string }> = [];
    for (const kind of CORE_KINDS) {
      const model = kindModel(catalog, { group: "", version: "v1", kind });
      if (model) seeds.push({ model, pkg: "core" }, { model: `${model}List`, pkg: "core" });
    }
    for (const r of this.registry.all()) {
      const model = r.custom ? undefined : kindModel(catalog, r);
      if (model) seeds.push({ model, pkg: groupPackage(r.group) }, { model: `${model}List`, pkg: groupPackage(r.group) });
    }
    seeds.push({ model: "V1Scale", pkg: "autoscaling" }, { model: "V1Status", pkg: "meta" }, { model: "V1DeleteOptions", pkg: "meta" }, { model: "V1ListMeta", pkg: "meta" });
    this.names = assignDefinitionNames(catalog, seeds);
    return this.names;
  }

  private build(dialect: Dialect, resources: ResourceInfo[], header: Schema): Schema {
    const catalog = loadCatalog();
    const builder = new SchemaBuilder({ dialect, catalog, names: this.definitionNames(catalog) });
    const common = {
      status: builder.addModel("V1Status") ?? "",
      deleteOptions: builder.addModel("V1DeleteOptions") ?? "",
      patch: PATCH_DEF,
    };
    builder.addRaw(PATCH_DEF, { description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.", type: "object" });
    const paths: Record<string, Schema> = {};
    for (const r of resources) {
      const schemas = r.custom ? this.addCustom(builder, r) : this.addBuiltin(builder, catalog, r);
      if (!schemas) continue;
      const full: ResourceSchemas = { ...common, ...schemas };
      if (r.subresources?.includes("scale")) full.scale = builder.addModel("V1Scale", { group: "autoscaling", version: "v1", kind: "Scale" });
      Object.assign(paths, resourcePaths(r, { dialect, ref: (d) => builder.ref(d), schemas: full }));
    }
    const sortedPaths = Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k]]));
    const definitions = builder.build();
    return dialect === "v2"
      ? { ...header, paths: sortedPaths, definitions }
      : { ...header, paths: sortedPaths, components: { schemas: definitions } };
  }

  private addBuiltin(builder: SchemaBuilder, catalog: ReadonlyMap<string, Model>, r: ResourceInfo): Pick<ResourceSchemas, "kind" | "list"> | undefined {
    const model = kindModel(catalog, r);
    if (!model) return undefined;
    const kind = builder.addModel(model, { group: r.group, version: r.version, kind: r.kind });
    const list = builder.addModel(`${model}List`, { group: r.group, version: r.version, kind: r.listKind });
    return kind && list ? { kind, list } : undefined;
  }

  private addCustom(builder: SchemaBuilder, r: ResourceInfo): Pick<ResourceSchemas, "kind" | "list"> {
    builder.addModel("V1ObjectMeta");
    const listMeta = builder.addModel("V1ListMeta") ?? "";
    const name = customDefinitionName(r.group, r.version, r.kind);
    const declared = this.options.crdSchema?.(r) ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    const declaredProps = isRecord(declared.properties) ? declared.properties : {};
    const apiVersion = { type: "string", description: "APIVersion defines the versioned schema of this representation of an object." };
    const kindProp = { type: "string", description: "Kind is a string value representing the REST resource this object represents." };
    const metaRef = builder.ref(OBJECT_META_DEF);
    const metadata = builder.dialect === "v2" ? { $ref: metaRef } : { allOf: [{ $ref: metaRef }] };
    builder.addRaw(name, { ...declared, type: "object", properties: { ...declaredProps, apiVersion, kind: kindProp, metadata } }, { group: r.group, version: r.version, kind: r.kind });
    const listName = `${name}List`;
    builder.addRaw(listName, {
      description: `${r.listKind} is a list of ${r.kind}`,
      type: "object",
      required: ["items"],
      properties: { apiVersion, kind: kindProp, items: { type: "array", items: { $ref: builder.ref(name) } }, metadata: { $ref: builder.ref(listMeta) } },
    }, { group: r.group, version: r.version, kind: r.listKind });
    return { kind: name, list: listName };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
