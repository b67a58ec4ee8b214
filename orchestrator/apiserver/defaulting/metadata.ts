// ObjectMeta's list fields are `omitempty` in Kubernetes: a write that empties
// metadata.finalizers or metadata.ownerReferences stores (and serves) no field at all, not
// `finalizers: []`. Every create and update passes through here before validation and
// managedFields, so a patch, a PUT and an apply all leave the same stored object.
import { meta, type JsonObject } from "../object.js";

const OMIT_WHEN_EMPTY = ["finalizers", "ownerReferences"];

export function omitEmptyMetadataLists(obj: JsonObject): void {
  const m = meta(obj);
  for (const key of OMIT_WHEN_EMPTY) {
    const value = m[key];
    if (value === null || (Array.isArray(value) && value.length === 0)) delete m[key];
  }
}
