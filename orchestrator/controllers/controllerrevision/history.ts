// ControllerRevisions (controller/history): StatefulSets and DaemonSets snapshot each pod
// template as an immutable, numbered revision named OWNER-HASH. Pods carry the revision name in
// the `controller-revision-hash` label, so the controller can tell current from updated pods
// and `kubectl rollout history / undo` can list and restore templates. Data is stored as the
// patch Kubernetes stores ({spec: {template: {..., $patch: replace}}}) so kubectl reads it.
import type { V1ControllerRevision, V1PodTemplateSpec } from "@kubernetes/client-node";
import { canonicalJson, computeHash } from "../shared/hash.js";
import { newControllerRef, type OwnerIdentity } from "../shared/ownerRefs.js";
import { timeMs } from "../shared/pods.js";

export const REVISION_HASH_LABEL = "controller-revision-hash";

export interface RevisionOwner extends OwnerIdentity {
  spec?: { template?: V1PodTemplateSpec; selector?: { matchLabels?: Record<string, string> }; revisionHistoryLimit?: number };
  status?: { collisionCount?: number };
}

export function revisionData(template: V1PodTemplateSpec | undefined): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: "replace" } } };
}

/** The template a revision recorded (its data without the `$patch` directive). */
export function templateOf(revision: V1ControllerRevision): V1PodTemplateSpec {
  const data: unknown = revision.data;
  if (typeof data !== "object" || data === null || !("spec" in data)) return {};
  const spec: unknown = data.spec;
  if (typeof spec !== "object" || spec === null || !("template" in spec)) return {};
  const template: unknown = spec.template;
  if (!isPodTemplate(template)) return {};
  const copy = structuredClone(template);
  delete copy.$patch;
  return copy;
}

/** Revision data comes from the server: accept it only with the shape of a pod template. */
function isPodTemplate(v: unknown): v is V1PodTemplateSpec & { $patch?: string } {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const meta: unknown = "metadata" in v ? v.metadata : undefined;
  const spec: unknown = "spec" in v ? v.spec : undefined;
  return (meta === undefined || (typeof meta === "object" && meta !== null)) && (spec === undefined || (typeof spec === "object" && spec !== null));
}

export function sameData(revision: V1ControllerRevision, template: V1PodTemplateSpec | undefined): boolean {
  return canonicalJson(templateOf(revision)) === canonicalJson(template ?? {});
}

export function buildRevision(owner: RevisionOwner, revision: number): V1ControllerRevision {
  const name = `${owner.metadata?.name ?? ""}-${computeHash(owner.spec?.template, owner.status?.collisionCount)}`;
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name,
      namespace: owner.metadata?.namespace,
      labels: { ...(owner.spec?.selector?.matchLabels ?? {}), [REVISION_HASH_LABEL]: name.slice((owner.metadata?.name ?? "").length + 1) },
      ownerReferences: [newControllerRef(owner)],
    },
    data: revisionData(owner.spec?.template),
    revision,
  };
}

export function byRevision(a: V1ControllerRevision, b: V1ControllerRevision): number {
  if (a.revision !== b.revision) return a.revision - b.revision;
  return (timeMs(a.metadata?.creationTimestamp) ?? 0) - (timeMs(b.metadata?.creationTimestamp) ?? 0);
}

export interface HistoryPlan {
  /** The revision of the owner's current template (existing, renumbered, or to create). */
  update: V1ControllerRevision;
  create?: V1ControllerRevision;
  /** An existing revision whose number goes up (a rollback to an older template). */
  renumber?: V1ControllerRevision;
  /** Old revisions beyond revisionHistoryLimit, not used by any live pod. */
  delete: V1ControllerRevision[];
}

export interface PlanHistoryOptions {
  /** Revisions the owner controls. */
  revisions: V1ControllerRevision[];
  /** Revision names still used by pods or by status.currentRevision: never deleted. */
  live: Set<string>;
}

export function planHistory(owner: RevisionOwner, options: PlanHistoryOptions): HistoryPlan {
  const sorted = [...options.revisions].sort(byRevision);
  const max = sorted.at(-1)?.revision ?? 0;
  const matching = sorted.filter((r) => sameData(r, owner.spec?.template));
  const plan: HistoryPlan = { update: buildRevision(owner, max + 1), delete: [] };
  const existing = matching.at(-1);
  if (existing) {
    plan.update = existing;
    if (existing.revision !== max) plan.renumber = { ...existing, revision: max + 1 };
  } else {
    plan.create = plan.update;
  }
  const limit = owner.spec?.revisionHistoryLimit ?? 10;
  const keep = new Set([...options.live, plan.update.metadata?.name ?? ""]);
  const candidates = sorted.filter((r) => !keep.has(r.metadata?.name ?? ""));
  const excess = candidates.length - limit;
  if (excess > 0) plan.delete = candidates.slice(0, excess);
  return plan;
}
