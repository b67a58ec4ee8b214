// The autoscaling/v1 Scale view of deployments, replicasets, statefulsets and custom resources
// whose CRD declares subresources.scale (at its specReplicasPath / statusReplicasPath).
import { fieldCause, InvalidError } from "../errors.js";
import { arrayOf, getPath, isObject, meta, str, stringMap, type JsonObject } from "../object.js";
import type { ResourceInfo, ScalePaths } from "../types.js";

const BUILTIN: ScalePaths = { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" };

function segments(path: string): string[] {
  return path.split(".").filter((s) => s !== "");
}

/** A LabelSelector as its string form: "app=web,tier in (a,b),!x". */
export function selectorString(selector: unknown): string {
  const parts = Object.entries(stringMap(getPath(selector, ["matchLabels"])) ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of arrayOf(getPath(selector, ["matchExpressions"]))) {
    if (!isObject(e) || typeof e.key !== "string") continue;
    const values = arrayOf(e.values).map(String).sort().join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.sort().join(",");
}

function selectorOf(info: ResourceInfo, obj: JsonObject): string {
  const paths = info.scale;
  if (!paths) return selectorString(getPath(obj, ["spec", "selector"]));
  return paths.labelSelectorPath ? (str(getPath(obj, segments(paths.labelSelectorPath))) ?? "") : "";
}

export function toScale(info: ResourceInfo, obj: JsonObject): JsonObject {
  const paths = info.scale ?? BUILTIN;
  const m = meta(obj);
  const replicas = getPath(obj, segments(paths.specReplicasPath));
  const status = getPath(obj, segments(paths.statusReplicasPath));
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: typeof replicas === "number" ? replicas : 0 },
    status: { replicas: typeof status === "number" ? status : 0, selector: selectorOf(info, obj) },
  };
}

function setPath(obj: JsonObject, path: string[], value: unknown): void {
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    if (isObject(next)) cur = next;
    else {
      const created: JsonObject = {};
      cur[key] = created;
      cur = created;
    }
  }
  const last = path[path.length - 1];
  if (last !== undefined) cur[last] = value;
}

/** Copies spec.replicas of a Scale onto the object; other Scale fields are read-only. */
export function applyScale(info: ResourceInfo, obj: JsonObject, scale: JsonObject): JsonObject {
  const replicas = getPath(scale, ["spec", "replicas"]);
  const name = str(meta(obj).name) ?? "";
  if (typeof replicas !== "number" || !Number.isInteger(replicas)) {
    throw new InvalidError("Scale.autoscaling", name, [fieldCause("FieldValueInvalid", "spec.replicas", `Invalid value: ${JSON.stringify(replicas) ?? "null"}: must be an integer`)]);
  }
  if (replicas < 0) {
    throw new InvalidError("Scale.autoscaling", name, [fieldCause("FieldValueInvalid", "spec.replicas", `Invalid value: ${replicas}: must be greater than or equal to 0`)]);
  }
  setPath(obj, segments((info.scale ?? BUILTIN).specReplicasPath), replicas);
  const rv = getPath(scale, ["metadata", "resourceVersion"]);
  if (typeof rv === "string" && rv !== "") meta(obj).resourceVersion = rv;
  else delete meta(obj).resourceVersion;
  return obj;
}
