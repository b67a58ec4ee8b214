// `berth uninstall`: pre-delete hooks → delete the release's objects (uninstall order) →
// post-delete hooks → drop the records, or keep them marked uninstalled with --keep-history.
// CRDs from crds/ are never deleted (Helm's rule: they may hold other people's data).
import { sortForUninstall } from "../../charts/manifest/index.js";
import { NotFoundError } from "../../core/errors.js";
import { DEFAULT_TIMEOUT_MS, type ActionContext } from "../context.js";
import { guardRelease } from "../guard.js";
import { runHooks } from "../hooks.js";
import { newLock } from "../lock.js";
import { parseManifestText } from "../manifest.js";
import type { Release } from "../model.js";
import { refOf, refText } from "../target.js";

export interface UninstallOptions {
  releaseName: string;
  namespace: string;
  keepHistory?: boolean;
  noHooks?: boolean;
  timeoutMs?: number;
  description?: string;
}

export interface UninstallResult {
  release: Release;
  /** The objects deleted, as Kind/name. */
  deleted: string[];
  recovered?: string;
}

export class UninstallAction {
  constructor(
    private readonly ctx: ActionContext,
    private readonly o: UninstallOptions,
  ) {}

  async run(): Promise<UninstallResult> {
    const ref = { namespace: this.o.namespace, name: this.o.releaseName };
    const { history, recovered } = await guardRelease(this.ctx.storage, ref, this.ctx.clock);
    const newest = history[history.length - 1];
    if (!newest) throw new NotFoundError(`release ${ref.name}: not found in namespace ${ref.namespace}`);
    if (newest.info.status === "uninstalled") {
      // Helm: uninstalling a release uninstalled with --keep-history purges its records.
      if (this.o.keepHistory) throw new NotFoundError(`release ${ref.name}: already uninstalled (its history is kept; uninstall without --keep-history to purge it)`);
      for (const r of history) await this.ctx.storage.delete(ref, r.version);
      return { release: newest, deleted: [], ...(recovered ? { recovered } : {}) };
    }
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let release = await this.ctx.storage.update({
      ...newest,
      info: { ...newest.info, status: "uninstalling", lock: newLock(this.ctx.clock, { ttlMs: timeoutMs }) },
    });
    const hookOptions = { target: this.ctx.target, clock: this.ctx.clock, timeoutMs };
    if (!this.o.noHooks) await runHooks(release, "pre-delete", hookOptions);
    const objects = sortForUninstall(parseManifestText(release.manifest)).map((m) => refOf(m.object));
    const deleted = await this.ctx.target.delete(objects, { namespace: ref.namespace });
    if (!this.o.noHooks) await runHooks(release, "post-delete", hookOptions);
    const info = { ...release.info, lock: undefined, status: "uninstalled" as const, deleted: new Date(this.ctx.clock.now()).toISOString() };
    release = { ...release, info: { ...info, description: this.o.description ?? "Uninstallation complete" } };
    if (this.o.keepHistory) {
      release = await this.ctx.storage.update(release);
    } else {
      for (const r of history) await this.ctx.storage.delete(ref, r.version);
    }
    return { release, deleted: deleted.map(refText), ...(recovered ? { recovered } : {}) };
  }
}
