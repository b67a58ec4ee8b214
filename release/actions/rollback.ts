// `berth rollback RELEASE [REVISION]` (model: Helm's action/rollback.go): a new revision with
// an old revision's chart, values, manifest and hooks, deployed like an upgrade. No chart
// source is needed: the record holds everything. REVISION defaults to the one before the newest.
import { NotFoundError, UsageError } from "../../core/errors.js";
import { deployAndRecord, DEFAULT_TIMEOUT_MS, type ActionContext } from "../context.js";
import { messageOf, ReleaseError } from "../errors.js";
import { guardRelease } from "../guard.js";
import { newLock } from "../lock.js";
import type { Release } from "../model.js";
import { stamp } from "../render.js";
import type { InstallResult } from "./install.js";
import { cleanupCreated } from "../cleanup.js";

export interface RollbackOptions {
  releaseName: string;
  namespace: string;
  /** The revision to go back to; 0 or undefined: the one before the newest. */
  revision?: number;
  wait?: boolean;
  timeoutMs?: number;
  noHooks?: boolean;
  forceConflicts?: boolean;
  historyMax?: number;
  description?: string;
  /** On failure, delete the objects this rollback created (Helm's --cleanup-on-fail). */
  cleanupOnFail?: boolean;
}

export class RollbackAction {
  constructor(
    private readonly ctx: ActionContext,
    private readonly o: RollbackOptions,
  ) {
    if (o.revision !== undefined && (!Number.isInteger(o.revision) || o.revision < 0)) {
      throw new UsageError(`rollback: REVISION must be a positive integer, got ${o.revision}`);
    }
  }

  async run(): Promise<InstallResult> {
    const ref = { namespace: this.o.namespace, name: this.o.releaseName };
    const { history, recovered } = await guardRelease(this.ctx.storage, ref, this.ctx.clock);
    const newest = history[history.length - 1];
    if (!newest) throw new NotFoundError(`release ${ref.name}: not found in namespace ${ref.namespace}`);
    const wanted = this.o.revision || newest.version - 1;
    const source = history.find((r) => r.version === wanted);
    if (!source) {
      throw new NotFoundError(`release ${ref.name}: revision ${wanted} not found`, {
        hint: `revisions: ${history.map((r) => r.version).join(", ")} (see \`berth history ${ref.name}\`)`,
      });
    }
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const fresh: Release = { ...source, version: newest.version + 1, hooks: source.hooks.map((h) => ({ ...h, lastRun: { phase: "Unknown" } })) };
    delete fresh.storageVersion;
    const pending = await this.ctx.storage.create(
      stamp(fresh, {
        status: "pending-rollback",
        description: "Rollback underway",
        clock: this.ctx.clock,
        firstDeployed: history[0].info.firstDeployed,
        lock: newLock(this.ctx.clock, { ttlMs: timeoutMs }),
      }),
    );
    const result = await deployAndRecord(this.ctx, {
      operation: "rollback",
      release: pending,
      // Prune against the newest revision (a failed upgrade's extras too), as Helm does.
      previous: newest,
      noHooks: this.o.noHooks,
      wait: this.o.wait,
      timeoutMs,
      forceConflicts: this.o.forceConflicts,
      done: this.o.description ?? `Rollback to ${wanted}`,
      historyMax: this.o.historyMax,
    });
    if (!result.ok) {
      const cleanup = this.o.cleanupOnFail ? await cleanupCreated(this.ctx, result.release, result.created) : "";
      throw new ReleaseError(`release ${ref.name}: rollback to revision ${wanted} failed: ${messageOf(result.error)}${cleanup}`, { cause: result.error });
    }
    return { release: result.release, ...(recovered ? { recovered } : {}) };
  }
}
