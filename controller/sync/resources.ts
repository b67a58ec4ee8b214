// Identity and ownership of the objects an app manages. Every object the app applies carries
// the instance label (so one label-selected informer per kind sees them all) and the owner
// annotations (so two apps of one name in different namespaces, or an app deleted and created
// again, never prune each other's objects).
import { isRecord, splitApiVersion, type Unstructured } from "../../kube/client/index.js";
import {
  INSTANCE_LABEL,
  OPERATION_ANNOTATION,
  OWNER_ANNOTATION,
  OWNER_UID_ANNOTATION,
  SYNC_OPTIONS_ANNOTATION,
  type HealthStatusCode,
  type ResourceStatus,
} from "../application/types.js";

export interface Owner {
  name: string;
  namespace: string;
  uid: string;
}

/** group|kind|namespace|name: one object whatever version of its API it was read through. */
export function identity(obj: { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string } }): string {
  return `${splitApiVersion(obj.apiVersion).group}|${obj.kind}|${obj.metadata.namespace ?? ""}|${obj.metadata.name ?? ""}`;
}

export function resourceIdentity(r: Pick<ResourceStatus, "group" | "kind" | "namespace" | "name">): string {
  return `${r.group}|${r.kind}|${r.namespace ?? ""}|${r.name}`;
}

/** A copy of `obj` labelled and annotated as owned by the app (and by an operation, for hooks). */
export function withOwner(obj: Unstructured, owner: Owner, options: { operation?: string; namespace?: string } = {}): Unstructured {
  const copy = structuredClone(obj);
  const labels = { ...(copy.metadata.labels ?? {}), [INSTANCE_LABEL]: owner.name };
  const annotations: Record<string, string> = { ...(copy.metadata.annotations ?? {}), [OWNER_ANNOTATION]: `${owner.namespace}/${owner.name}`, [OWNER_UID_ANNOTATION]: owner.uid };
  if (options.operation) annotations[OPERATION_ANNOTATION] = options.operation;
  copy.metadata = { ...copy.metadata, labels, annotations };
  return copy;
}

/** Whether a live object belongs to this app (label, owner and uid all match). */
export function isOwnedBy(obj: Unstructured, owner: Owner): boolean {
  const a = obj.metadata.annotations ?? {};
  return obj.metadata.labels?.[INSTANCE_LABEL] === owner.name && a[OWNER_ANNOTATION] === `${owner.namespace}/${owner.name}` && a[OWNER_UID_ANNOTATION] === owner.uid;
}

/** The `APPNAMESPACE/APPNAME` an object's annotation names, if any. */
export function ownerKeyOf(obj: Unstructured): string | undefined {
  return obj.metadata.annotations?.[OWNER_ANNOTATION];
}

/** `berth.dev/sync-options: Prune=false` (or Argo's annotation) keeps it from pruning. */
export function pruneDisabled(obj: Unstructured): boolean {
  const a = obj.metadata.annotations ?? {};
  const text = `${a[SYNC_OPTIONS_ANNOTATION] ?? ""},${a["argocd.argoproj.io/sync-options"] ?? ""}`;
  return text.split(",").some((o) => o.replace(/\s+/g, "").toLowerCase() === "prune=false");
}

export function toResourceStatus(obj: Unstructured, fields: Omit<ResourceStatus, "group" | "version" | "kind" | "namespace" | "name">): ResourceStatus {
  const { group, version } = splitApiVersion(obj.apiVersion);
  const r: ResourceStatus = { group, version, kind: obj.kind, name: obj.metadata.name ?? "", ...fields };
  if (obj.metadata.namespace) r.namespace = obj.metadata.namespace;
  return r;
}

const HEALTH_ORDER: readonly HealthStatusCode[] = ["Healthy", "Suspended", "Progressing", "Missing", "Degraded", "Unknown"];

/** The app's health: its least healthy resource (Argo's rule: Degraded > Missing > Progressing > Suspended > Healthy). */
export function worstHealth(values: readonly (HealthStatusCode | undefined)[]): HealthStatusCode {
  let worst: HealthStatusCode = "Healthy";
  for (const v of values) {
    if (v === undefined || v === "Unknown") continue;
    if (HEALTH_ORDER.indexOf(v) > HEALTH_ORDER.indexOf(worst)) worst = v;
  }
  return worst;
}

/** A Job's or Pod's progress as a hook: Running, Succeeded or Failed. */
export function hookPhase(obj: Unstructured | undefined): "Running" | "Succeeded" | "Failed" | "Pending" {
  if (!obj) return "Pending";
  const status = isRecord(obj.status) ? obj.status : {};
  if (obj.kind === "Pod") {
    return status.phase === "Succeeded" ? "Succeeded" : status.phase === "Failed" ? "Failed" : "Running";
  }
  if (obj.kind === "Job") {
    const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isRecord) : [];
    if (conditions.some((c) => c.type === "Complete" && c.status === "True")) return "Succeeded";
    if (conditions.some((c) => c.type === "Failed" && c.status === "True")) return "Failed";
    return "Running";
  }
  return "Succeeded";
}
