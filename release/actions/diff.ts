// `berth diff upgrade RELEASE CHART`: what an upgrade would change, as coloured unified diffs of
// the live objects against a server-side dry run of the new ones, plus the objects it would
// prune. Nothing is written: no record, no object.
import { lastDeployed } from "../guard.js";
import { NotFoundError } from "../../core/errors.js";
import type { ActionContext } from "../context.js";
import { parseManifestText } from "../manifest.js";
import { withOwnership } from "../ownership.js";
import { renderRevision } from "../render.js";
import { refKey, refOf } from "../target.js";
import { upgradeValues, type UpgradeOptions } from "./upgrade.js";

export interface DiffUpgradeOptions extends Pick<UpgradeOptions, "releaseName" | "namespace" | "chart" | "userValues" | "reuseValues" | "resetValues" | "resetThenReuseValues"> {
  color: boolean;
}

export async function diffUpgrade(ctx: ActionContext, o: DiffUpgradeOptions): Promise<string[]> {
  const ref = { namespace: o.namespace, name: o.releaseName };
  const history = await ctx.storage.history(ref);
  const base = lastDeployed(history) ?? history[history.length - 1];
  if (!base) throw new NotFoundError(`release ${ref.name}: not found in namespace ${ref.namespace}`);
  const { chart, config } = upgradeValues(o, base);
  const { release } = renderRevision(chart, { name: ref.name, namespace: ref.namespace, version: base.version + 1, config, isUpgrade: true });
  const objects = parseManifestText(release.manifest).map((m) => withOwnership(m.object, release));
  const keep = new Set(objects.map((obj) => refKey(refOf(obj), ref.namespace)));
  const removed = parseManifestText(base.manifest)
    .map((m) => refOf(m.object))
    .filter((r) => !keep.has(refKey(r, ref.namespace)));
  return ctx.target.diff(objects, removed, { namespace: ref.namespace, color: o.color });
}

