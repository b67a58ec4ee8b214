// `berth upgrade` (model: Helm's action/upgrade.go): a new revision from a chart and values,
// deployed over the last deployed one, which becomes superseded only when the new one is
// deployed. A failed upgrade records a failed revision and leaves the deployed one as is;
// --atomic then rolls back to it.
import { mergeMaps } from "../../charts/values/index.js";
import type { Chart, Values } from "../../charts/model.js";
import { NotFoundError } from "../../core/errors.js";
import { deployAndRecord, DEFAULT_TIMEOUT_MS, type ActionContext } from "../context.js";
import { messageOf, ReleaseError } from "../errors.js";
import { guardRelease, lastDeployed } from "../guard.js";
import { newLock } from "../lock.js";
import { parseManifestText } from "../manifest.js";
import type { Release } from "../model.js";
import { preflight } from "../preflight.js";
import { renderRevision, stamp } from "../render.js";
import type { DryRun } from "../target.js";
import { cleanupCreated } from "../cleanup.js";
import { InstallAction, type InstallOptions, type InstallResult } from "./install.js";
import { RollbackAction } from "./rollback.js";

export interface UpgradeOptions extends Omit<InstallOptions, "generateName" | "releaseName"> {
  releaseName: string;
  /** Install when the release does not exist. */
  install?: boolean;
  reuseValues?: boolean;
  resetValues?: boolean;
  resetThenReuseValues?: boolean;
  /** On failure, delete the objects this upgrade created (Helm's --cleanup-on-fail). */
  cleanupOnFail?: boolean;
}

export class UpgradeAction {
  constructor(
    private readonly ctx: ActionContext,
    private readonly o: UpgradeOptions,
  ) {}

  /** --take-ownership takes the adopted objects' fields too, or the next change to a shared field would conflict. */
  private get forceConflicts(): boolean {
    return Boolean(this.o.forceConflicts || this.o.takeOwnership);
  }

  async run(): Promise<InstallResult> {
    const ref = { namespace: this.o.namespace, name: this.o.releaseName };
    const { history, recovered } = await guardRelease(this.ctx.storage, ref, this.ctx.clock);
    const newest = history[history.length - 1];
    if ((!newest || newest.info.status === "uninstalled") && this.o.install) {
      return { ...(await new InstallAction(this.ctx, { ...this.o, replace: true }).run()), installed: true };
    }
    const base = upgradeBase(history);
    if (!newest || !base) {
      throw new NotFoundError(`release ${ref.name}: has no deployed releases in namespace ${ref.namespace}${newest ? ` (revision ${newest.version} is ${newest.info.status})` : ""}`, {
        hint: newest?.info.status === "uninstalled" ? "pass --install to install it again" : "install it first, or pass --install",
      });
    }
    const { chart, config } = upgradeValues(this.o, base);
    const { release, crds } = renderRevision(chart, { name: ref.name, namespace: ref.namespace, version: newest.version + 1, config, isUpgrade: true });
    const dryRun: DryRun = this.o.dryRun ?? "none";
    if (dryRun !== "none") return { release: await this.dryRun(release, dryRun) };
    await preflight(this.ctx.target, release, { crds: this.o.skipCrds ? [] : crds, forceConflicts: this.forceConflicts, previous: base, takeOwnership: this.o.takeOwnership });
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
      forceConflicts: this.forceConflicts,
      done: this.o.description ?? "Upgrade complete",
      historyMax: this.o.historyMax,
    });
    if (result.ok) return { release: result.release, ...(recovered ? { recovered } : {}) };
    const cleanup = this.o.cleanupOnFail ? await cleanupCreated(this.ctx, result.release, result.created) : "";
    throw await this.failed(result.release, base, result.error, cleanup);
  }

  private async dryRun(release: Release, mode: DryRun): Promise<Release> {
    if (mode === "server") {
      await this.ctx.target.apply(parseManifestText(release.manifest).map((m) => m.object), { namespace: this.o.namespace, dryRun: "server" });
    }
    return stamp(release, { status: "pending-upgrade", description: "Dry run complete", clock: this.ctx.clock });
  }

  private async failed(release: Release, base: Release, error: unknown, cleanup: string): Promise<Error> {
    const reason = messageOf(error);
    const what = `release ${release.name}: upgrade to revision ${release.version} failed: ${reason}${cleanup}`;
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

/**
 * What an upgrade builds on (Helm's prepareUpgrade): the deployed revision; with none, the
 * newest when it failed or was superseded; otherwise nothing ("has no deployed releases").
 */
export function upgradeBase(history: readonly Release[]): Release | undefined {
  const newest = history[history.length - 1];
  if (!newest || newest.info.status === "uninstalled") return undefined;
  return lastDeployed(history) ?? (newest.info.status === "failed" || newest.info.status === "superseded" ? newest : undefined);
}

/** Helm gives --reset-values precedence over --reuse-values over --reset-then-reuse-values; says which are ignored. */
export function ignoredValuesFlags(o: Pick<UpgradeOptions, "reuseValues" | "resetValues" | "resetThenReuseValues">): string[] {
  const given = [o.resetValues && "--reset-values", o.reuseValues && "--reuse-values", o.resetThenReuseValues && "--reset-then-reuse-values"];
  const used = given.find(Boolean);
  return given.filter((f): f is string => typeof f === "string" && f !== used).map((f) => `${f} is ignored: ${String(used)} takes precedence`);
}

/** Helm's four ways to combine the previous revision's values with the new ones. */
export function upgradeValues(o: Pick<UpgradeOptions, "chart" | "userValues" | "reuseValues" | "resetValues" | "resetThenReuseValues">, base: Release): { chart: Chart; config: Values } {
  const given = o.userValues ?? {};
  if (o.resetValues) return { chart: o.chart, config: given };
  // --reuse-values: the previous computed values stand in for the new chart's defaults, and the
  // previous user values stay in the record under the new ones, so a later plain upgrade keeps them.
  if (o.reuseValues) return { chart: { ...o.chart, values: base.computedValues }, config: mergeMaps(structuredClone(base.config), given) };
  if (o.resetThenReuseValues) return { chart: o.chart, config: mergeMaps(structuredClone(base.config), given) };
  // Neither: Helm reuses the previous values only when no new ones are given.
  const config = Object.keys(given).length === 0 ? base.config : given;
  return { chart: o.chart, config };
}
