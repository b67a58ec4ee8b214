// Pruning: delete what the previous revision owned and the current one no longer has, in
// uninstall order. Only objects listed in `previousOwned` are ever candidates, so nothing berth
// did not create is touched. Identity is group + kind + namespace + name (a version bump of
// an apiVersion is the same object).
import { NotFoundError } from "../../core/errors.js";
import type { KubeClient } from "../client/client.js";
import { apiStatusOf } from "../client/errors.js";
import { refOf, splitApiVersion, type KubeObject, type ObjectRef } from "../client/objects.js";
import type { ApplyResult } from "./apply.js";
import { uninstallOrder } from "./order.js";

export interface PruneOptions {
  client: KubeClient;
  /** Namespace of objects that name none (default: the client's). */
  namespace?: string;
  dryRun?: "client" | "server";
  /** Default "Background". */
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  onResult?: (result: ApplyResult) => void;
}

export async function pruneObjects(previousOwned: readonly KubeObject[], current: readonly KubeObject[], options: PruneOptions): Promise<ApplyResult[]> {
  const keep = new Set<string>();
  for (const obj of current) {
    const ref = await resolveRef(obj, options);
    if (ref) keep.add(identity(ref));
  }
  const results: ApplyResult[] = [];
  for (const obj of uninstallOrder(previousOwned)) {
    const ref = await resolveRef(obj, options);
    // A kind the server no longer knows has no objects left to delete.
    if (!ref || keep.has(identity(ref))) continue;
    const result = await deleteOne(ref, options);
    if (!result) continue;
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

async function deleteOne(ref: ObjectRef, options: PruneOptions): Promise<ApplyResult | undefined> {
  if (options.dryRun === "client") {
    const live = await options.client.tryGet(ref);
    return live ? { ref, action: "pruned", message: "dry run" } : undefined;
  }
  try {
    await options.client.delete(ref, { propagationPolicy: options.propagationPolicy ?? "Background", dryRun: options.dryRun === "server" });
  } catch (err) {
    if (apiStatusOf(err)?.code === 404) return undefined;
    throw err;
  }
  return { ref, action: "pruned" };
}

async function resolveRef(obj: KubeObject, options: PruneOptions): Promise<ObjectRef | undefined> {
  const ref = refOf(obj);
  try {
    const m = await options.client.mapper.mapping(ref);
    return { ...ref, namespace: m.namespaced ? ref.namespace || options.namespace || options.client.namespace : undefined };
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

function identity(ref: ObjectRef): string {
  return `${splitApiVersion(ref.apiVersion).group}|${ref.kind}|${ref.namespace ?? ""}|${ref.name}`;
}
