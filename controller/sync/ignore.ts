// Argo CD's ignoreDifferences (jsonPointers): fields that compare leaves out for the objects a
// rule matches, e.g. /spec/replicas of a Deployment an HPA scales. The values are removed from
// both sides before comparing, and the ownership check (kube/apply's no-op rule) skips the
// fields under them. With the RespectIgnoreDifferences=true sync option they are also left
// out of what a sync applies, so server-side apply leaves them to whoever else sets them.
import { applyIsNoop } from "../../kube/apply/index.js";
import { desiredFields, isSubset, managedFieldPaths } from "../../kube/apply/fieldSet.js";
import { isRecord, splitApiVersion, type Unstructured } from "../../kube/client/index.js";
import type { IgnoreDifference } from "../application/types.js";

/** The pointers of every rule that matches the object (group, kind, and name / namespace when set). */
export function ignoredPointers(obj: Unstructured, rules: readonly IgnoreDifference[]): string[] {
  const group = splitApiVersion(obj.apiVersion).group;
  const out: string[] = [];
  for (const r of rules) {
    if (r.group !== group || r.kind !== obj.kind) continue;
    if (r.name !== undefined && r.name !== obj.metadata.name) continue;
    if (r.namespace !== undefined && r.namespace !== obj.metadata.namespace) continue;
    out.push(...r.jsonPointers);
  }
  return out;
}

/** RFC 6901 tokens of a pointer ("" is the whole document). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Removes the value at `pointer` in place (nothing when the path is not there). */
export function removeAt(doc: unknown, pointer: string): void {
  const tokens = pointerTokens(pointer);
  const last = tokens.pop();
  if (last === undefined) return;
  let node: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(node)) node = /^\d+$/.test(t) ? node[Number(t)] : undefined;
    else node = isRecord(node) ? node[t] : undefined;
  }
  if (Array.isArray(node) && /^\d+$/.test(last) && Number(last) < node.length) node.splice(Number(last), 1);
  else if (isRecord(node)) delete node[last];
}

/** A copy of `obj` without the ignored fields. */
export function withoutPointers<T>(obj: T, pointers: readonly string[]): T {
  const copy = structuredClone(obj);
  for (const p of pointers) removeAt(copy, p);
  return copy;
}

/** The dotted field path a pointer falls under, cut at the first list (lists are one field each). */
function fieldPrefix(pointer: string): string {
  const tokens = pointerTokens(pointer);
  const cut = tokens.findIndex((t) => /^\d+$/.test(t));
  return (cut < 0 ? tokens : tokens.slice(0, cut)).join(".");
}

/** kube/apply's applyIsNoop, leaving out the ignored fields on both sides. */
export function isNoopIgnoring(desired: Unstructured, live: Unstructured, manager: string, pointers: readonly string[]): boolean {
  if (pointers.length === 0) return applyIsNoop(desired, live, manager);
  const want = withoutPointers(desired, pointers);
  if (!isSubset(want, withoutPointers(live, pointers))) return false;
  const prefixes = pointers.map(fieldPrefix).filter((p) => p !== "");
  const kept = (path: string): boolean => !prefixes.some((p) => path === p || path.startsWith(`${p}.`));
  const entries = Array.isArray(live.metadata.managedFields) ? live.metadata.managedFields.filter(isRecord) : [];
  const mine = entries.find((e) => e.manager === manager && e.operation === "Apply");
  const owned = [...(mine ? managedFieldPaths(mine.fieldsV1) : [])].filter(kept);
  const wanted = [...desiredFields(want)].filter(kept);
  const ownedSet = new Set(owned);
  return owned.length === wanted.length && wanted.every((p) => ownedSet.has(p));
}
