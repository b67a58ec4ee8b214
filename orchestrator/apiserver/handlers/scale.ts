// The autoscaling/v1 Scale view of deployments, replicasets and statefulsets.
import { badRequest } from "../errors.js";
import { getPath, isObject, meta, stringMap, type JsonObject } from "../object.js";
import type { ResourceInfo } from "../types.js";

function selectorString(obj: JsonObject): string {
  const labels = stringMap(getPath(obj, ["spec", "selector", "matchLabels"])) ?? {};
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

export function toScale(info: ResourceInfo, obj: JsonObject): JsonObject {
  const m = meta(obj);
  const replicas = getPath(obj, ["spec", "replicas"]);
  const status = getPath(obj, ["status", "replicas"]);
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: typeof replicas === "number" ? replicas : 0 },
    status: { replicas: typeof status === "number" ? status : 0, selector: selectorString(obj) },
  };
}

/** Copies spec.replicas of a Scale onto the object; other Scale fields are read-only. */
export function applyScale(info: ResourceInfo, obj: JsonObject, scale: JsonObject): JsonObject {
  const replicas = getPath(scale, ["spec", "replicas"]);
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw badRequest(`Scale.spec.replicas: expected a non-negative integer, got ${JSON.stringify(replicas)}`);
  }
  const spec = isObject(obj.spec) ? obj.spec : {};
  spec.replicas = replicas;
  obj.spec = spec;
  const rv = getPath(scale, ["metadata", "resourceVersion"]);
  if (typeof rv === "string" && rv !== "") meta(obj).resourceVersion = rv;
  else delete meta(obj).resourceVersion;
  return obj;
}
