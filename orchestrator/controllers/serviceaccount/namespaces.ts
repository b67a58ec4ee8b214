// What the per-namespace publishers (default ServiceAccount, root CA ConfigMap) share: whether a
// namespace still takes new objects, and which create failures mean "nothing to do".
import { apiStatusOf, isRecord, type Unstructured } from "../../../kube/client/index.js";

/** A namespace that exists and is not being deleted; new content is refused in a terminating one. */
export function isActive(ns: Unstructured | undefined): ns is Unstructured {
  if (!ns || ns.metadata.deletionTimestamp !== undefined) return false;
  const status = isRecord(ns.status) ? ns.status : {};
  return status.phase !== "Terminating";
}

/**
 * A create that lost a race (409: someone, maybe our own earlier try, made it) or that the
 * namespace refused because it is going away (403 terminating, 404 gone): the next reconcile
 * of the namespace, if any, sees the truth.
 */
export function isBenignCreateError(err: unknown): boolean {
  const status = apiStatusOf(err);
  if (!status) return false;
  if (status.code === 409 || status.code === 404) return true;
  return status.code === 403 && /because it is being terminated/.test(status.message);
}
