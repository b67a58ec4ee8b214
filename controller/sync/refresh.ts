// Refresh: resolve the target revision, render it, read live state, compare, and write what
// was found to status. Then the automated-sync decision (Argo CD's rules): a new revision
// syncs once; the same revision syncs again only for selfHeal drift, and not more often than
// selfHealBackoffMs; a revision whose sync failed is not retried until a new commit.
import type { Unstructured } from "../../kube/client/index.js";
import { clearCondition, setCondition } from "../application/status.js";
import type { Application } from "../application/types.js";
import { isoNow, type ControllerContext } from "../context.js";
import type { CommitInfo } from "../git/types.js";
import { compare, type Comparison, type LiveObject } from "./compare.js";
import { steadyResources } from "./plan.js";
import { optionOn } from "./options.js";
import { identity } from "./resources.js";
import { startOperation } from "./start.js";
import { cloneStatus, ownerOf, prepare, renderAt, resolveRevision, typesOf, watchKinds, writeStatus } from "./target.js";

export const COMPARISON_ERROR = "ComparisonError";

export interface RefreshResult {
  app: Application;
  /** Set when the comparison worked. */
  comparison?: Comparison;
  commit?: CommitInfo;
}

export interface RefreshOptions {
  /** Read live objects with GETs, not from the cache (right after applying, the cache may lag). */
  fresh?: boolean;
}

export async function refresh(ctx: ControllerContext, app: Application, options: RefreshOptions = {}): Promise<RefreshResult> {
  let commit: CommitInfo;
  try {
    commit = await resolveRevision(ctx, app.spec.source);
  } catch (err) {
    return { app: await reportError(ctx, app, `${app.spec.source.repoURL} at ${app.spec.source.targetRevision}: ${messageOf(err)}`) };
  }
  let desired: Unstructured[];
  try {
    const resources = await renderAt(ctx, app, app.spec.source, commit.sha);
    desired = await Promise.all(steadyResources(resources).map((r) => prepare(ctx, app, r.object)));
  } catch (err) {
    const status = cloneStatus(app);
    status.sync = { status: "Unknown", revision: commit.sha };
    const message = `commit ${commit.sha.slice(0, 7)}: ${messageOf(err)}`;
    const before = app.status.conditions.find((c) => c.type === COMPARISON_ERROR)?.message;
    setCondition(status, COMPARISON_ERROR, message, isoNow(ctx));
    const written = await writeStatus(ctx, app, status);
    if (before !== message) await ctx.events.record(written, { reason: "ComparisonError", message, warning: true });
    return { app: written, commit };
  }
  await watchKinds(ctx, typesOf(desired, app.status.resources));
  const live = await readLive(ctx, desired, options);
  const comparison = compare({ desired, live, owned: ctx.live.owned(ownerOf(app)), ignoreDifferences: app.spec.ignoreDifferences, replaced: (o) => optionOn(app.spec, o, "Replace") });
  const status = cloneStatus(app);
  status.sync = { status: comparison.sync, revision: commit.sha };
  status.health = comparison.healthMessage ? { status: comparison.health, message: comparison.healthMessage } : { status: comparison.health };
  status.resources = comparison.resources;
  clearCondition(status, COMPARISON_ERROR);
  return { app: await writeStatus(ctx, app, status), comparison, commit };
}

async function reportError(ctx: ControllerContext, app: Application, message: string): Promise<Application> {
  const status = cloneStatus(app);
  status.sync = { ...status.sync, status: "Unknown" };
  setCondition(status, COMPARISON_ERROR, message, isoNow(ctx));
  return writeStatus(ctx, app, status);
}

/**
 * Live state of each desired object from the informers' cache; a GET only for what the cache
 * cannot answer (a kind not watched yet, or an object not labelled as any app's: missing, or
 * not adopted yet). A refresh of a synced app reads nothing from the API server.
 */
export async function readLive(ctx: ControllerContext, desired: readonly Unstructured[], options: RefreshOptions = {}): Promise<Map<string, LiveObject>> {
  const out = new Map<string, LiveObject>();
  await Promise.all(
    desired.map(async (d) => {
      const ref = { apiVersion: d.apiVersion, kind: d.kind, name: d.metadata.name ?? "", namespace: d.metadata.namespace };
      const cached = options.fresh ? { known: false as const } : ctx.live.lookup(ref, ref.namespace, ref.name);
      const object = cached.known && cached.object ? cached.object : await ctx.client.tryGet(ref).catch(() => undefined);
      const endpoints = object && d.kind === "Service" && d.apiVersion === "v1" ? await endpointsOf(ctx, ref.namespace ?? "", ref.name, options) : undefined;
      out.set(identity(d), { object, endpoints });
    }),
  );
  return out;
}

async function endpointsOf(ctx: ControllerContext, namespace: string, name: string, options: RefreshOptions): Promise<Unstructured | undefined> {
  const cached = options.fresh ? { known: false as const } : await ctx.live.endpoints(namespace, name);
  if (cached.known) return cached.object;
  return ctx.client.tryGet({ apiVersion: "v1", kind: "Endpoints", name, namespace }).catch(() => undefined);
}

export type AutoSyncDecision = { sync: false; reason: string; retryAfterMs?: number } | { sync: true; selfHeal: boolean };

/** Pure: whether automated sync should start now. */
export function autoSyncDecision(app: Application, comparison: Comparison, commit: string, now: number, selfHealBackoffMs: number): AutoSyncDecision {
  const automated = app.spec.syncPolicy.automated;
  if (!automated) return { sync: false, reason: "automated sync is off" };
  if (comparison.sync === "Synced") return { sync: false, reason: "synced" };
  const last = app.status.operationState;
  if (!last || last.syncResult.revision !== commit || last.source) return { sync: true, selfHeal: false };
  if (last.phase !== "Succeeded") return { sync: false, reason: `the last sync of ${commit.slice(0, 7)} failed; waiting for a new commit or a manual sync` };
  if (!automated.selfHeal) return { sync: false, reason: "out of sync, selfHeal is off" };
  const since = now - Date.parse(last.finishedAt ?? last.startedAt);
  if (since < selfHealBackoffMs) return { sync: false, reason: "self-heal backoff", retryAfterMs: selfHealBackoffMs - since };
  return { sync: true, selfHeal: true };
}

/** Starts an automated sync when the decision says so; returns the retry delay of a backoff. */
export async function maybeAutoSync(ctx: ControllerContext, app: Application, result: RefreshResult): Promise<{ app: Application; retryAfterMs?: number }> {
  if (!result.comparison || !result.commit) return { app };
  const decision = autoSyncDecision(app, result.comparison, result.commit.sha, ctx.clock.now(), ctx.selfHealBackoffMs);
  if (!decision.sync) return { app, retryAfterMs: decision.retryAfterMs };
  const prune = app.spec.syncPolicy.automated?.prune ?? false;
  return { app: await startOperation(ctx, app, { initiatedBy: "automated", prune, revision: result.commit.sha }) };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.replace(/\s*\n\s*/g, " ") : String(err);
}
