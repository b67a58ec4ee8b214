// `berth install`: render → CRDs → pre-install hooks → apply → wait → post-install hooks →
// record (model: Helm's action/install.go). The pending-install record is created first
// (compare-and-swap: a concurrent install of the same name loses with a ConflictError), and
// --atomic uninstalls what was created when any step fails.
import type { Chart, Values } from "../../charts/model.js";
import { validateReleaseName } from "../../charts/render.js";
import { ConflictError } from "../../core/errors.js";
import { deployAndRecord, DEFAULT_TIMEOUT_MS, type ActionContext } from "../context.js";
import { ReleaseError, messageOf } from "../errors.js";
import { guardRelease } from "../guard.js";
import { newLock } from "../lock.js";
import type { Release } from "../model.js";
import { preflight } from "../preflight.js";
import { renderRevision, stamp } from "../render.js";
import type { DryRun } from "../target.js";
import { parseManifestText } from "../manifest.js";
import { UninstallAction } from "./uninstall.js";

export interface InstallOptions {
  /** Required unless generateName is set. */
  releaseName?: string;
  /** Name the release CHART-<seconds> (Helm's --generate-name). */
  generateName?: boolean;
  chart: Chart;
  namespace: string;
  /** User values (-f / --set family). */
  userValues?: Values;
  createNamespace?: boolean;
  /** Default "none". "client" touches no cluster; "server" asks the API server to validate. */
  dryRun?: DryRun;
  wait?: boolean;
  /** Per wait and per hook; default 5 minutes. */
  timeoutMs?: number;
  atomic?: boolean;
  description?: string;
  skipCrds?: boolean;
  noHooks?: boolean;
  historyMax?: number;
  forceConflicts?: boolean;
  /** Adopt live objects that belong to no release or another one (Helm's --take-ownership). */
  takeOwnership?: boolean;
  /** Re-use the name of a release whose newest revision failed or was uninstalled with --keep-history (Helm's --replace). */
  replace?: boolean;
}

export interface InstallResult {
  release: Release;
  /** What a takeover of a stale pending revision found, when one happened. */
  recovered?: string;
  /** Set when `upgrade --install` installed the release. */
  installed?: boolean;
}

export class InstallAction {
  constructor(
    private readonly ctx: ActionContext,
    private readonly o: InstallOptions,
  ) {}

  /** --take-ownership takes the adopted objects' fields too, or the next change to a shared field would conflict. */
  private get forceConflicts(): boolean {
    return Boolean(this.o.forceConflicts || this.o.takeOwnership);
  }

  private name(): string {
    if (this.o.generateName) return `${this.o.chart.metadata.name}-${Math.floor(this.ctx.clock.now() / 1000)}`;
    if (!this.o.releaseName) throw new ReleaseError("install: a release name is required (or pass --generate-name)");
    return this.o.releaseName;
  }

  async run(): Promise<InstallResult> {
    const name = this.name();
    validateReleaseName(name);
    const ref = { namespace: this.o.namespace, name };
    const dryRun = this.o.dryRun ?? "none";
    const guarded = dryRun === "client" ? { history: [] } : await guardRelease(this.ctx.storage, ref, this.ctx.clock);
    const newest = guarded.history[guarded.history.length - 1];
    if (newest) this.checkReuse(newest);
    const version = (newest?.version ?? 0) + 1;
    const { release, crds } = renderRevision(this.o.chart, { name, namespace: this.o.namespace, version, config: this.o.userValues ?? {}, isUpgrade: false });
    const useCrds = this.o.skipCrds ? [] : crds;
    if (dryRun !== "none") return { release: await this.dryRun(release, useCrds, dryRun) };
    if (this.o.createNamespace) await this.ctx.target.ensureNamespace(this.o.namespace);
    await preflight(this.ctx.target, release, { crds: useCrds, forceConflicts: this.forceConflicts, takeOwnership: this.o.takeOwnership });
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Helm's --replace: the old newest revision is superseded (a failed one keeps its status).
    if (newest && newest.info.status !== "failed") {
      await this.ctx.storage.update({ ...newest, info: { ...newest.info, status: "superseded", description: "superseded by new release" } });
    }
    const pending = await this.ctx.storage.create(
      stamp(release, { status: "pending-install", description: "Initial install underway", clock: this.ctx.clock, lock: newLock(this.ctx.clock, { ttlMs: timeoutMs }) }),
    );
    const result = await deployAndRecord(this.ctx, {
      operation: "install",
      release: pending,
      crds: useCrds,
      noHooks: this.o.noHooks,
      wait: this.o.wait || this.o.atomic,
      timeoutMs,
      forceConflicts: this.forceConflicts,
      done: this.o.description ?? "Install complete",
      historyMax: this.o.historyMax,
    });
    if (result.ok) return { release: result.release, ...(guarded.recovered ? { recovered: guarded.recovered } : {}) };
    throw await this.failed(result.release, result.error);
  }

  /** Helm's rule: a name with history is re-used only with --replace, and only after a failure or an uninstall that kept history. */
  private checkReuse(newest: Release): void {
    const reusable = newest.info.status === "uninstalled" || newest.info.status === "failed";
    if (this.o.replace && reusable) return;
    const name = newest.name;
    throw new ConflictError(`release ${name}: cannot re-use a name that is still in use (revision ${newest.version} is ${newest.info.status})`, {
      hint: reusable
        ? `pass --replace to install over it, or use \`berth upgrade --install ${name}\``
        : `use \`berth upgrade ${name}\`, or uninstall it first`,
    });
  }

  private async dryRun(release: Release, crds: Values[], mode: DryRun): Promise<Release> {
    if (mode === "server") {
      const objects = [...crds, ...parseManifestText(release.manifest).map((m) => m.object)];
      await this.ctx.target.apply(objects, { namespace: this.o.namespace, dryRun: "server" });
    }
    return stamp(release, { status: "pending-install", description: "Dry run complete", clock: this.ctx.clock });
  }

  private async failed(release: Release, error: unknown): Promise<Error> {
    const reason = messageOf(error);
    if (!this.o.atomic) return new ReleaseError(`release ${release.name}: install failed: ${reason}`, { cause: error });
    try {
      await new UninstallAction(this.ctx, { releaseName: release.name, namespace: release.namespace, noHooks: true }).run();
    } catch (cleanup) {
      return new ReleaseError(`release ${release.name}: install failed: ${reason}; --atomic uninstall also failed: ${messageOf(cleanup)}`, { cause: error });
    }
    return new ReleaseError(`release ${release.name}: install failed: ${reason}; --atomic: uninstalled it`, { cause: error });
  }
}
