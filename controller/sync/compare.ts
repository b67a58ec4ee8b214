// Desired versus live, per resource: Synced when applying the desired object (labelled as the
// app's) would change nothing — every desired value is live and the fields our field manager
// owns are exactly the ones desired sets, so a field removed from git shows too — else
// OutOfSync. Live objects the app owns that the commit no longer declares are OutOfSync
// ("requires pruning"). Health per resource is kube/wait's.
import type { Unstructured } from "../../kube/client/index.js";
import { health } from "../../kube/wait/index.js";
import type { HealthStatusCode, IgnoreDifference, ResourceStatus, SyncStatusCode } from "../application/types.js";
import { isSubset } from "../../kube/apply/fieldSet.js";
import { ignoredPointers, isNoopIgnoring, withoutPointers } from "./ignore.js";
import { ignoresExtraneous } from "./options.js";
import { identity, pruneDisabled, toResourceStatus, worstHealth } from "./resources.js";

export const FIELD_MANAGER = "berth-controller";

export interface LiveObject {
  object: Unstructured | undefined;
  /** The Endpoints of a Service, for its health. */
  endpoints?: Unstructured;
}

export interface CompareInput {
  /** Steady (non-hook) desired objects, already labelled as the app's, namespaces resolved. */
  desired: readonly Unstructured[];
  /** Live state by identity() of each desired object. */
  live: ReadonlyMap<string, LiveObject>;
  /** Live objects the app owns (by label + uid), declared or not. */
  owned: readonly Unstructured[];
  /** spec.ignoreDifferences: fields left out of the comparison. */
  ignoreDifferences?: readonly IgnoreDifference[];
  /** Objects a sync replaces (Replace=true): compared by value, not by field ownership. */
  replaced?: (obj: Unstructured) => boolean;
}

export interface Comparison {
  sync: SyncStatusCode;
  health: HealthStatusCode;
  healthMessage: string;
  resources: ResourceStatus[];
}

export function compare(input: CompareInput): Comparison {
  const resources: ResourceStatus[] = [];
  const declared = new Set<string>();
  for (const want of input.desired) {
    const id = identity(want);
    declared.add(id);
    const live = input.live.get(id);
    const obj = live?.object;
    const h = health(obj, { endpoints: live?.endpoints });
    const pointers = ignoredPointers(want, input.ignoreDifferences ?? []);
    const synced = obj !== undefined && (input.replaced?.(want) ? isSubset(withoutPointers(want, pointers), withoutPointers(obj, pointers)) : isNoopIgnoring(want, obj, FIELD_MANAGER, pointers));
    const r = toResourceStatus(want, { status: synced ? "Synced" : "OutOfSync", health: h.status });
    if (h.status !== "Healthy") r.message = h.message;
    resources.push(r);
  }
  for (const obj of input.owned) {
    if (declared.has(identity(obj))) continue;
    resources.push(extraneous(obj));
  }
  resources.sort(byKindName);
  const sync: SyncStatusCode = resources.every((r) => r.status === "Synced") ? "Synced" : "OutOfSync";
  const app = worstHealth(resources.filter((r) => declared.has(`${r.group}|${r.kind}|${r.namespace ?? ""}|${r.name}`)).map((r) => r.health));
  const firstBad = resources.find((r) => r.health === app && app !== "Healthy");
  return { sync, health: app, healthMessage: firstBad ? `${firstBad.kind}/${firstBad.name}: ${firstBad.message ?? app}` : "", resources };
}

/** An object the app owns that git no longer declares. */
function extraneous(obj: Unstructured): ResourceStatus {
  // A Prune=false leftover is not the app's problem; IgnoreExtraneous leaves it out of the
  // sync status but a sync with prune still deletes it.
  if (pruneDisabled(obj)) return toResourceStatus(obj, { status: "Synced", message: "ignored: Prune=false" });
  if (ignoresExtraneous(obj)) return toResourceStatus(obj, { status: "Synced", message: `${REQUIRES_PRUNING} (IgnoreExtraneous)` });
  return toResourceStatus(obj, { status: "OutOfSync", message: REQUIRES_PRUNING });
}

export const REQUIRES_PRUNING = "requires pruning";

function byKindName(a: ResourceStatus, b: ResourceStatus): number {
  return a.kind.localeCompare(b.kind) || (a.namespace ?? "").localeCompare(b.namespace ?? "") || a.name.localeCompare(b.name);
}
