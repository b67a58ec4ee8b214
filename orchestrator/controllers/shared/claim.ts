// Claiming pods (client-go's PodControllerRefManager): an owner keeps the pods it controls that
// still match its selector, adopts matching orphans, and releases controlled pods that no
// longer match. Pods controlled by someone else are never touched.
import type { V1LabelSelector, V1Pod } from "@kubernetes/client-node";
import { selectorMatches } from "./labels.js";
import { controllerRefOf } from "./ownerRefs.js";
import { isTerminating } from "./pods.js";

export interface ClaimResult<T> {
  /** Controlled and matching: the owner's pods right now. */
  owned: T[];
  /** Orphans to adopt (count as owned once adopted). */
  adopt: T[];
  /** Controlled but no longer matching. */
  release: T[];
}

export interface ClaimOptions {
  ownerUid: string;
  selector: V1LabelSelector | undefined;
  /** An owner being deleted neither adopts nor releases. */
  ownerDeleting: boolean;
}

export function claimObjects<T extends V1Pod | { metadata?: V1Pod["metadata"] }>(objects: T[], options: ClaimOptions): ClaimResult<T> {
  const result: ClaimResult<T> = { owned: [], adopt: [], release: [] };
  for (const obj of objects) {
    const ref = controllerRefOf(obj);
    // Others' pods first and cheaply: a sync walks every pod in the namespace.
    if (ref && ref.uid !== options.ownerUid) continue;
    const matches = selectorMatches(options.selector, obj.metadata?.labels);
    if (ref) {
      if (matches) result.owned.push(obj);
      else if (!options.ownerDeleting) result.release.push(obj);
      continue;
    }
    if (matches && !options.ownerDeleting && !isTerminating(obj)) result.adopt.push(obj);
  }
  return result;
}
