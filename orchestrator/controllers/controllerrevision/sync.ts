// The I/O half of revision history for StatefulSets and DaemonSets: make sure the owner's
// current template has a ControllerRevision (creating or renumbering one), report the current
// and update revisions, and prune history beyond revisionHistoryLimit.
import type { V1ControllerRevision, V1Pod, V1PodTemplateSpec } from "@kubernetes/client-node";
import { apiStatusOf } from "../../../kube/client/index.js";
import { isControlledBy } from "../shared/ownerRefs.js";
import { deleteIgnoringMissing, type ControllerContext } from "../shared/runtime.js";
import { planHistory, REVISION_HASH_LABEL, templateOf, type RevisionOwner } from "./history.js";

export interface RevisionRef {
  name: string;
  template: V1PodTemplateSpec;
}

export interface SyncedHistory {
  update: RevisionRef;
  /** status.currentRevision when it still exists, else the update revision. */
  current: RevisionRef;
  /** Deletes revisions beyond the limit (call after pods are synced). */
  prune(): Promise<void>;
}

function refOf(r: V1ControllerRevision): RevisionRef {
  return { name: r.metadata?.name ?? "", template: templateOf(r) };
}

/** Returns undefined when a revision was just created under a clashing name (sync again). */
export async function syncHistory(
  ctx: ControllerContext,
  owner: RevisionOwner & { status?: { collisionCount?: number; currentRevision?: string } },
  pods: V1Pod[],
): Promise<SyncedHistory | undefined> {
  const revisions = ctx.informers.revisions.list(owner.metadata?.namespace).filter((r) => isControlledBy(r, owner.metadata?.uid));
  const live = new Set<string>();
  for (const p of pods) {
    const hash = p.metadata?.labels?.[REVISION_HASH_LABEL];
    if (hash) live.add(hash.startsWith(`${owner.metadata?.name ?? ""}-`) ? hash : `${owner.metadata?.name ?? ""}-${hash}`);
  }
  if (owner.status?.currentRevision) live.add(owner.status.currentRevision);
  const plan = planHistory(owner, { revisions, live });
  if (plan.create) {
    try {
      await ctx.client.create(plan.create);
    } catch (err) {
      if (apiStatusOf(err)?.reason !== "AlreadyExists") throw err;
      const existing = await ctx.client.tryGet({ apiVersion: "apps/v1", kind: "ControllerRevision", name: plan.create.metadata?.name ?? "", namespace: owner.metadata?.namespace });
      // Ours but not in the cache yet: fine, sync again. Someone else's: change our hash.
      if (existing && existingUid(existing) !== owner.metadata?.uid) {
        await ctx.client.updateStatus({ ...owner, status: { ...(owner.status ?? {}), collisionCount: (owner.status?.collisionCount ?? 0) + 1 } });
      }
      return undefined;
    }
  }
  if (plan.renumber) await ctx.client.update(plan.renumber);
  const update = refOf(plan.update);
  const currentRevision = revisions.find((r) => r.metadata?.name === owner.status?.currentRevision);
  return {
    update,
    current: currentRevision ? refOf(currentRevision) : update,
    prune: async () => {
      await Promise.all(plan.delete.map((r) => deleteIgnoringMissing(ctx.client, r)));
    },
  };
}

/** The owner uid of an existing revision's controller reference (to compare with ours). */
function existingUid(obj: { metadata: { [k: string]: unknown } }): string | undefined {
  const refs = obj.metadata.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    if (typeof r === "object" && r !== null && "controller" in r && r.controller === true && "uid" in r && typeof r.uid === "string") return r.uid;
  }
  return undefined;
}
