// Reads a CustomResourceDefinition into the ResourceInfo entries it serves.
import type { ValidateFunction } from "ajv";
import type { PrinterColumn } from "../context.js";
import { arrayOf, getPath, isObject, str, type JsonObject } from "../object.js";
import type { ResourceInfo, ScalePaths, Verb } from "../types.js";

export interface CrdVersion {
  info: ResourceInfo;
  schema: unknown;
  status: boolean;
  printerColumns: PrinterColumn[];
  validator?: ValidateFunction;
}

export interface CrdModel {
  group: string;
  resource: string;
  storageVersion?: string;
  versions: CrdVersion[];
}

const VERBS: Verb[] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function strings(v: unknown): string[] | undefined {
  const list = arrayOf(v).filter((x): x is string => typeof x === "string");
  return list.length > 0 ? list : undefined;
}

function columns(v: unknown): PrinterColumn[] {
  return arrayOf(v)
    .filter(isObject)
    .filter((c) => typeof c.name === "string" && typeof c.jsonPath === "string")
    .map((c) => ({
      name: String(c.name),
      type: str(c.type) ?? "string",
      jsonPath: String(c.jsonPath),
      description: str(c.description),
      priority: typeof c.priority === "number" ? c.priority : 0,
      format: str(c.format),
    }));
}

function scalePathsOf(v: unknown): ScalePaths | undefined {
  if (!isObject(v) || typeof v.specReplicasPath !== "string" || typeof v.statusReplicasPath !== "string") return undefined;
  const out: ScalePaths = { specReplicasPath: v.specReplicasPath, statusReplicasPath: v.statusReplicasPath };
  if (typeof v.labelSelectorPath === "string") out.labelSelectorPath = v.labelSelectorPath;
  return out;
}

export function crdToResources(crd: JsonObject): CrdModel | undefined {
  const group = str(getPath(crd, ["spec", "group"]));
  const names = getPath(crd, ["spec", "names"]);
  if (!group || !isObject(names) || typeof names.plural !== "string" || typeof names.kind !== "string") return undefined;
  const kind = names.kind;
  const versions: CrdVersion[] = [];
  let storageVersion: string | undefined;
  for (const v of arrayOf(getPath(crd, ["spec", "versions"])).filter(isObject)) {
    if (typeof v.name !== "string") continue;
    if (v.storage === true) storageVersion = v.name;
    if (v.served === false) continue;
    const subresources = getPath(v, ["subresources"]);
    const status = isObject(subresources) && subresources.status !== undefined;
    const scale = isObject(subresources) && subresources.scale !== undefined;
    const info: ResourceInfo = {
      group,
      version: v.name,
      kind,
      listKind: str(names.listKind) ?? `${kind}List`,
      resource: names.plural,
      singular: str(names.singular) ?? kind.toLowerCase(),
      namespaced: getPath(crd, ["spec", "scope"]) !== "Cluster",
      verbs: VERBS,
      custom: true,
    };
    const shortNames = strings(names.shortNames);
    const categories = strings(names.categories);
    if (shortNames) info.shortNames = shortNames;
    if (categories) info.categories = categories;
    const scalePaths = scale ? scalePathsOf(getPath(subresources, ["scale"])) : undefined;
    if (scalePaths) info.scale = scalePaths;
    const subs = [...(status ? ["status"] : []), ...(scalePaths ? ["scale"] : [])];
    if (subs.length > 0) info.subresources = subs;
    versions.push({ info, schema: getPath(v, ["schema", "openAPIV3Schema"]), status, printerColumns: columns(v.additionalPrinterColumns) });
  }
  return { group, resource: names.plural, storageVersion, versions };
}
