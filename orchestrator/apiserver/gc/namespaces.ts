// Namespace lifecycle: the four system namespaces exist from the start; a namespace marked
// for deletion has its contents deleted, then loses its "kubernetes" finalizer and goes.
import type { ApiEnv } from "../context.js";
import { prepareCreate } from "../admission.js";
import { ApiError } from "../errors.js";
import { arrayOf, getPath, str, type JsonObject } from "../object.js";
import type { ResourceInfo } from "../types.js";

export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export function namespaceInfo(env: ApiEnv): ResourceInfo {
  const info = env.registry.lookup("", "v1", "namespaces");
  if (!info) throw new Error("namespaces are not registered");
  return info;
}

export async function ensureNamespaces(env: ApiEnv): Promise<void> {
  const info = namespaceInfo(env);
  for (const name of SYSTEM_NAMESPACES) {
    if (await env.storage.tryGet(info, { name })) continue;
    const obj = prepareCreate({ env, info, manager: "berth-apiserver" }, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name } } });
    try {
      await env.storage.create(info, { name }, obj);
    } catch (err) {
      // Another server on the same store created it first.
      if (!(err instanceof ApiError && err.reason === "AlreadyExists")) throw err;
    }
  }
}

export function isTerminating(ns: JsonObject): boolean {
  return getPath(ns, ["metadata", "deletionTimestamp"]) !== undefined;
}

export function namespaceFinalizers(ns: JsonObject): string[] {
  return arrayOf(getPath(ns, ["spec", "finalizers"])).filter((f): f is string => typeof f === "string");
}

export function nameOf(obj: JsonObject): string {
  return str(getPath(obj, ["metadata", "name"])) ?? "";
}
