// What every workload controller's I/O half shares: the context it runs in, mapping an event
// to the owner's queue key, claiming (adopt / release) through the API, and error logging.
import type { V1ObjectMeta, V1OwnerReference } from "@kubernetes/client-node";
import type { Clock } from "../../../core/clock.js";
import type { ReconcileFailure } from "../../../core/workqueue/index.js";
import { apiStatusOf, type KubeClient } from "../../../kube/client/index.js";
import type { ComponentLogger } from "../../component.js";
import type { WorkloadInformers } from "./informers.js";
import { controllerRefOf, newControllerRef, withControllerRef, withoutOwner, type OwnerIdentity } from "./ownerRefs.js";

export interface ControllerContext {
  client: KubeClient;
  informers: WorkloadInformers;
  clock: Clock;
  logger?: ComponentLogger;
  /** Keys reconciled at once per controller (default 2). */
  workers?: number;
}

export interface Owned {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
}

/** The `namespace/name` of obj's controller when it is of `kind`. */
export function ownerKey(obj: Owned, kind: string): string | undefined {
  const ref = controllerRefOf(obj);
  if (!ref || ref.kind !== kind) return undefined;
  return `${obj.metadata?.namespace ?? ""}/${ref.name}`;
}

export function errorLogger(name: string, logger: ComponentLogger | undefined): (failure: ReconcileFailure) => void {
  return (f) => {
    const message = f.error instanceof Error ? f.error.message : String(f.error);
    // Conflicts are the normal price of optimistic concurrency; the retry fixes them.
    if (apiStatusOf(f.error)?.code === 409) return;
    logger?.warn(`${name}: sync ${f.key} failed (try ${f.retries}): ${message}`);
  };
}

export function isNotFound(err: unknown): boolean {
  return apiStatusOf(err)?.code === 404;
}

function ref(obj: Owned): { apiVersion: string; kind: string; name: string; namespace?: string } {
  return { apiVersion: obj.apiVersion ?? "v1", kind: obj.kind ?? "", name: obj.metadata?.name ?? "", namespace: obj.metadata?.namespace };
}

/**
 * Makes owner the controller of obj (adopt) or removes it (release). The patch carries the
 * resourceVersion, so it fails instead of overwriting a concurrent change of ownership.
 */
export async function setOwnership(client: KubeClient, obj: Owned, change: { adopt: OwnerIdentity } | { release: string }): Promise<void> {
  const refs: V1OwnerReference[] =
    "adopt" in change ? withControllerRef(obj.metadata?.ownerReferences, newControllerRef(change.adopt)) : withoutOwner(obj.metadata?.ownerReferences, change.release);
  try {
    await client.patch(ref(obj), { metadata: { ownerReferences: refs, resourceVersion: obj.metadata?.resourceVersion } }, { type: "merge" });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export async function deleteIgnoringMissing(client: KubeClient, obj: Owned): Promise<boolean> {
  try {
    await client.delete(ref(obj), { propagationPolicy: "Background" });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** The smaller of two optional delays. */
export function minDelay(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
