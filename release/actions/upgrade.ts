// `berth upgrade` (model: Helm's action/upgrade.go): a new revision from a chart and values,
// deployed over the last deployed one, which becomes superseded only when the new one is
// deployed. A failed upgrade records a failed revision and leaves the deployed one as is;
// --atomic then rolls back to it.
import { mergeMaps } from "../../charts/values/index.js";
import type { Chart, Values } from "../../charts/model.js";
import { NotFoundError, UsageError } from "../../core/errors.js";
import { deployAndRecord, DEFAULT_TIMEOUT_MS, type ActionContext } from "../context.js";
import { messageOf, ReleaseError } from "../errors.js";
import { guardRelease, lastDeployed } from "../guard.js";
import { newLock } from "../lock.js";
import { parseManifestText } from "../manifest.js";
import type { Release } from "../model.js";
import { preflight } from "../preflight.js";
import { renderRevision, stamp } from "../render.js";
import type { DryRun } from "../target.js";
import { InstallAction, type InstallOptions, type InstallResult } from "./install.js";
import { RollbackAction } from "./rollback.js";

export interface UpgradeOptions extends Omit<InstallOptions, "generateName" | "releaseName"> {
  releaseName: string;
  /** Install when the release does not exist. */
  install?: boolean;
  reuseValues?: boolean;
  resetValues?: boolean;
  resetThenReuseValues?: boolean;
}

export class UpgradeAction {
  constructor(
    private readonly ctx: ActionContext,
    private readonly o: UpgradeOptions,
  ) {
    const flags = [o.reuseValues && "--reuse-values", o.resetValues && "--reset-values", o.resetThenReuseValues && "--reset-then-reuse-values"].filter(Boolean);
    if (flags.length > 1) throw new UsageError(`${flags.join(" and ")} cannot be used together`);
  }

  async run(): Promise<InstallResult> {
    const ref = { namespace: this.o.namespace, name: this.o.releaseName };
    const { history, recovered } = await guardRelease(this.ctx.storage, ref, this.ctx.clock);
    const newest = history[history.length - 1];
    if (!newest || newest.info.status === "uninstalled") {
      if (this.o.install) return new InstallAction(this.ctx, this.o).run();
      throw new NotFoundError(`release ${ref.name}: has no deployed revision in namespace ${ref.namespace}`, {
        hint: "install it first, or pass --install",
      });
    }
    const base = lastDeployed(history) ?? newest;
    const { chart, config } = upgradeValues(this.o, base);
    const { release, crds } = renderRevision(chart, { name: ref.name, namespace: ref.namespace, version: newest.version + 1, config, isUpgrade: true });
    const dryRun: DryRun = this.o.dryRun ?? "none";
    if (dryRun !== "none") return { release: await this.dryRun(release, dryRun) };
    await preflight(this.ctx.target, release, { crds: (this.o.skipCrds ? [] : crds), forceConflicts: this.o.forceConflicts });
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const pending = await this.ctx.storage.create(
      stamp(release, {
        status: "pending-upgrade",
        description: "Preparing upgrade",
        clock: this.ctx.clock,
        firstDeployed: base.info.firstDeployed,
        lock: newLock(this.ctx.clock, { ttlMs: timeoutMs }),
      }),
    );
    const result = await deployAndRecord(this.ctx, {
      operation: "upgrade",
      release: pending,
      previous: base,
      crds: this.o.skipCrds ? [] : crds,
      noHooks: this.o.noHooks,
      wait: this.o.wait || this.o.atomic,
      timeoutMs,
      forceConflicts: this.o.forceConflicts,
      done: this.o.description ?? "Upgrade complete",
      historyMax: this.o.historyMax,
    });
    if (result.ok) return { release: result.release, ...(recovered ? { recovered } : {}) };
    throw await this.failed(result.release, base, result.error);
  }

  private async dryRun(release: Release, mode: DryRun): Promise<Release> {
    if (mode === "server") {
      await this.ctx.target.apply(parseManifestText(release.manifest).map((m) => m.object), { namespace: this.o.namespace, dryRun: "server" });
    }
    return stamp(release, { status: "pending-upgrade", description: "Dry run complete", clock: this.ctx.clock });
  }

  private async failed(release: Release, base: Release, error: unknown): Promise<Error> {
    const reason = messageOf(error);
    const what = `release ${release.name}: upgrade to revision ${release.version} failed: ${reason}`;
    if (!this.o.atomic || base.info.status !== "deployed") return new ReleaseError(what, { cause: error });
    try {
      await new RollbackAction(this.ctx, {
        releaseName: release.name,
        namespace: release.namespace,
        revision: base.version,
        wait: true,
        timeoutMs: this.o.timeoutMs,
        description: `Rollback to ${base.version}: --atomic after failed upgrade`,
      }).run();
    } catch (cleanup) {
      return new ReleaseError(`${what}; --atomic rollback to revision ${base.version} also failed: ${messageOf(cleanup)}`, { cause: error });
    }
    return new ReleaseError(`${what}; --atomic: rolled back to revision ${base.version}`, { cause: error });
  }
}

/** Helm's four ways to combine the previous revision's values with the new ones. */
export function upgradeValues(o: Pick<UpgradeOptions, "chart" | "userValues" | "reuseValues" | "resetValues" | "resetThenReuseValues">, base: Release): { chart: Chart; config: Values } {
  const given = o.userValues ?? {};
  if (o.resetValues) return { chart: o.chart, config: given };
  // --reuse-values: the previous computed values stand in for the new chart's defaults.
  if (o.reuseValues) return { chart: { ...o.chart, values: base.computedValues }, config: given };
  if (o.resetThenReuseValues) return { chart: o.chart, config: mergeMaps(structuredClone(base.config), given) };
  // Neither: Helm reuses the previous values only when no new ones are given.
  const config = Object.keys(given).length === 0 ? base.config : given;
  return { chart: o.chart, config };
}
