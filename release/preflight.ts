// Before a revision is recorded, the API server validates every object with a server-side
// dry-run apply, so bad objects and field-manager conflicts fail with no stored state changed.
// Objects of kinds the chart's own CRDs define are left out: their kinds do not exist yet.
// Live objects the release would adopt from someone else are refused here too (ownership.ts).
import { ConflictError } from "../core/errors.js";
import type { Values } from "../charts/model.js";
import { messageOf, ReleaseError } from "./errors.js";
import { parseManifestText } from "./manifest.js";
import type { Release } from "./model.js";
import { checkAdoption, withOwnership } from "./ownership.js";
import { isRecord, refOf, type Applied, type ReleaseTarget } from "./target.js";

export interface PreflightOptions {
  crds: Values[];
  forceConflicts?: boolean;
  /** The revision being replaced: its objects are the release's own. */
  previous?: Release;
  /** Adopt live objects that belong to no release or another one (Helm's --take-ownership). */
  takeOwnership?: boolean;
}

export async function preflight(target: ReleaseTarget, release: Release, o: PreflightOptions): Promise<void> {
  const newGroups = new Set(o.crds.map((c) => (isRecord(c.spec) ? String(c.spec.group ?? "") : "")));
  const objects = parseManifestText(release.manifest)
    .map((m) => m.object)
    .filter((obj) => !newGroups.has(String(obj.apiVersion ?? "").split("/")[0]))
    .map((obj) => withOwnership(obj, release));
  let planned: Applied[];
  try {
    planned = await target.apply(objects, { namespace: release.namespace, dryRun: "server", forceConflicts: o.forceConflicts });
  } catch (err) {
    if (err instanceof ConflictError) {
      throw new ReleaseError(`release ${release.name}: ${messageOf(err)}`, { cause: err, hint: "pass --force-conflicts to take these fields over" });
    }
    throw err;
  }
  const previous = o.previous ? parseManifestText(o.previous.manifest).map((m) => refOf(m.object)) : [];
  await checkAdoption(target, { release, planned, previous, takeOwnership: o.takeOwnership });
}
