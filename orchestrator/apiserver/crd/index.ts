// CustomResourceDefinitions: a CRD written to the store is served at once (every served
// version, its status subresource, printer columns, openAPIV3Schema validated with ajv) and
// marked Established; deleting it removes its objects and stops serving it.
import { Ajv, type ValidateFunction } from "ajv";
import type { ApiEnv, CustomBehaviour, PrinterColumn } from "../context.js";
import { fieldCause, type StatusCause } from "../errors.js";
import { arrayOf, getPath, isObject, meta, str, type JsonObject } from "../object.js";
import type { ResourceRegistry } from "../registry.js";
import type { ResourceInfo } from "../types.js";
import { timestamp } from "../admission.js";
import { resourcePrefix } from "../storage.js";
import { crdToResources, type CrdVersion } from "./model.js";

const CRD_GROUP = "apiextensions.k8s.io";

export class CustomResources implements CustomBehaviour {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly versions = new Map<string, CrdVersion>();

  constructor(private readonly registry: ResourceRegistry) {}

  private key(info: Pick<ResourceInfo, "group" | "resource" | "version">): string {
    return `${info.group}/${info.resource}/${info.version}`;
  }

  validate(info: ResourceInfo, obj: JsonObject): StatusCause[] {
    const v = this.versions.get(this.key(info));
    if (!v?.validator) return [];
    if (v.validator(obj)) return [];
    return (v.validator.errors ?? []).map((e) => {
      const field = e.instancePath.replace(/^\//, "").replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, ".");
      if (e.keyword === "required" && isObject(e.params) && typeof e.params.missingProperty === "string") {
        return fieldCause("FieldValueRequired", field ? `${field}.${e.params.missingProperty}` : e.params.missingProperty, "Required value");
      }
      const value = JSON.stringify(getPath(obj, field === "" ? [] : e.instancePath.split("/").slice(1)));
      return fieldCause("FieldValueInvalid", field || "<root>", `Invalid value: ${value ?? "null"}: ${e.message ?? "invalid"}`);
    });
  }

  hasStatus(info: ResourceInfo): boolean {
    return this.versions.get(this.key(info))?.status ?? false;
  }

  printerColumns(info: ResourceInfo): PrinterColumn[] | undefined {
    return this.versions.get(this.key(info))?.printerColumns;
  }

  /** The declared openAPIV3Schema of a served version (for OpenAPI and strict decoding). */
  schema(info: Pick<ResourceInfo, "group" | "resource" | "version">): JsonObject | undefined {
    const schema = this.versions.get(this.key(info))?.schema;
    return isObject(schema) ? schema : undefined;
  }

  /** Serves the CRDs already stored and follows CRD writes from then on. */
  async start(env: ApiEnv): Promise<void> {
    const info = this.crdInfo();
    const page = await env.storage.list(info);
    for (const crd of page.items) this.serve(crd);
    env.writeListeners.push(async (written, obj, deleted) => {
      if (written.group !== CRD_GROUP || written.resource !== "customresourcedefinitions") return;
      if (deleted) await this.unserve(env, obj);
      else await this.establish(env, obj);
    });
  }

  private crdInfo(): ResourceInfo {
    const info = this.registry.lookup(CRD_GROUP, "v1", "customresourcedefinitions");
    if (!info) throw new Error("customresourcedefinitions are not registered");
    return info;
  }

  private compile(schema: unknown): ValidateFunction | undefined {
    if (!isObject(schema)) return undefined;
    try {
      return this.ajv.compile(withObjectMeta(schema));
    } catch {
      return undefined;
    }
  }

  serve(crd: JsonObject): void {
    const model = crdToResources(crd);
    if (!model) return;
    for (const v of model.versions) {
      this.versions.set(this.key(v.info), { ...v, validator: this.compile(v.schema) });
    }
    this.registry.remove(model.group, model.resource);
    this.registry.add(model.versions.map((v) => v.info), { preferredVersion: model.storageVersion });
  }

  private async establish(env: ApiEnv, crd: JsonObject): Promise<void> {
    if (getPath(crd, ["metadata", "deletionTimestamp"]) !== undefined) return;
    this.serve(crd);
    const conditions = arrayOf(getPath(crd, ["status", "conditions"]));
    if (conditions.some((c) => isObject(c) && c.type === "Established" && c.status === "True")) return;
    const now = timestamp(env);
    const cond = (type: string, reason: string, message: string) => ({ type, status: "True", lastTransitionTime: now, reason, message });
    crd.status = {
      conditions: [cond("NamesAccepted", "NoConflicts", "no conflicts found"), cond("Established", "InitialNamesAccepted", "the initial names have been accepted")],
      acceptedNames: getPath(crd, ["spec", "names"]) ?? {},
      storedVersions: arrayOf(getPath(crd, ["spec", "versions"])).filter((v) => isObject(v) && v.storage === true).map((v) => (isObject(v) ? v.name : "")),
    };
    const name = str(meta(crd).name) ?? "";
    const rv = Number(meta(crd).resourceVersion);
    try {
      await env.storage.update(this.crdInfo(), { name }, crd, rv);
    } catch {
      // Changed meanwhile: the next write of the CRD establishes it.
    }
  }

  private async unserve(env: ApiEnv, crd: JsonObject): Promise<void> {
    const model = crdToResources(crd);
    if (!model) return;
    const first = model.versions[0];
    if (first) {
      const page = await env.storage.store.range(resourcePrefix(first.info));
      for (const kv of page.items) await env.storage.store.delete(kv.key).catch(() => undefined);
    }
    for (const v of model.versions) this.versions.delete(this.key(v.info));
    this.registry.remove(model.group, model.resource);
  }
}

/** CRD schemas describe metadata loosely; do not let a schema reject server-set metadata. */
function withObjectMeta(schema: JsonObject): JsonObject {
  const props = isObject(schema.properties) ? { ...schema.properties } : undefined;
  if (!props) return schema;
  props.metadata = { type: "object" };
  props.apiVersion = { type: "string" };
  props.kind = { type: "string" };
  return { ...schema, properties: props };
}
