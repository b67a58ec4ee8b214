// Decides whether applying `desired` could change anything, without a write: when every
// desired value already is live, and the fields berth's Apply entry in managedFields owns are
// exactly the fields desired sets, a server-side apply would be a no-op. Lists count as one
// field each (their keyed items are not compared), so a mismatch only costs one real apply.
import { isRecord } from "../client/objects.js";

const IGNORED = new Set(["apiVersion", "kind", "metadata.name", "metadata.namespace"]);

/** Paths of the fields an object sets, maps descended, lists and scalars as leaves. */
export function desiredFields(obj: Record<string, unknown>, prefix = ""): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (IGNORED.has(path)) continue;
    if (isRecord(v) && Object.keys(v).length > 0) for (const p of desiredFields(v, path)) out.add(p);
    else out.add(path);
  }
  return out;
}

/** Paths a manager owns per its fieldsV1, cut at list items (k:, v:, i:) like desiredFields. */
export function managedFieldPaths(fieldsV1: unknown, prefix = ""): Set<string> {
  const out = new Set<string>();
  if (!isRecord(fieldsV1)) return out;
  const keys = Object.keys(fieldsV1).filter((k) => k !== ".");
  if (keys.some((k) => !k.startsWith("f:"))) {
    if (prefix) out.add(prefix);
    return out;
  }
  if (keys.length === 0 && prefix) out.add(prefix);
  for (const k of keys) {
    const path = prefix ? `${prefix}.${k.slice(2)}` : k.slice(2);
    for (const p of managedFieldPaths(fieldsV1[k], path)) out.add(p);
  }
  return out;
}

/** Every value in desired equals live's (maps compared key by key, lists whole). */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (isRecord(desired)) {
    if (!isRecord(live)) return false;
    return Object.entries(desired).every(([k, v]) => isSubset(v, live[k]));
  }
  if (Array.isArray(desired)) {
    return Array.isArray(live) && desired.length === live.length && desired.every((v, i) => isSubset(v, live[i]));
  }
  return desired === live || (typeof desired === "number" && typeof live === "string" && String(desired) === live);
}

/** True when an apply of desired by manager would change neither values nor ownership. */
export function applyIsNoop(desired: Record<string, unknown>, live: Record<string, unknown>, manager: string): boolean {
  if (!isSubset(desired, live)) return false;
  const meta = isRecord(live.metadata) ? live.metadata : {};
  const entries = Array.isArray(meta.managedFields) ? meta.managedFields.filter(isRecord) : [];
  const mine = entries.find((e) => e.manager === manager && e.operation === "Apply");
  // The server drops an Apply entry that owns nothing (an object with only a name).
  const owned = mine ? managedFieldPaths(mine.fieldsV1) : new Set<string>();
  const wanted = desiredFields(desired);
  if (owned.size !== wanted.size) return false;
  for (const p of wanted) if (!owned.has(p)) return false;
  return true;
}
