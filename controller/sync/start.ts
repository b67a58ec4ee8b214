// Starting an operation: automated (a new commit, or drift with selfHeal) or requested by a
// user (`operation` on the Application, set by `berth app sync` / `rollback`). The operation
// is written to status before anything is applied; the request is cleared only after, and a
// request whose id already is the status's operation is just cleared (crash in between).
import { randomUUID } from "node:crypto";
import type { Application, ApplicationSource, OperationState } from "../application/types.js";
import { isoNow, type ControllerContext } from "../context.js";
import { nameHooks } from "./hooks.js";
import { plannedResources } from "./operation.js";
import { cloneStatus, renderAt, resolveRevision, writeStatus } from "./target.js";

export interface StartOptions {
  initiatedBy: "automated" | "user";
  /** A fixed source (rollback to a history entry); default the spec's. */
  source?: ApplicationSource;
  /** Revision to deploy; default the source's targetRevision resolved now. */
  revision?: string;
  prune: boolean;
  id?: string;
}

export async function startOperation(ctx: ControllerContext, app: Application, options: StartOptions): Promise<Application> {
  const source = options.source ?? app.spec.source;
  const commit = await resolveRevision(ctx, { ...source, targetRevision: options.revision ?? source.targetRevision });
  const status = cloneStatus(app);
  const op: OperationState = {
    id: options.id ?? randomUUID(),
    phase: "Running",
    message: "starting",
    startedAt: isoNow(ctx),
    initiatedBy: options.initiatedBy,
    step: 0,
    stepApplied: false,
    prune: options.prune,
    syncResult: { revision: commit.sha, resources: [] },
  };
  if (options.source) op.source = options.source;
  if (app.spec.syncPolicy.retry) op.retry = app.spec.syncPolicy.retry;
  try {
    op.syncResult.resources = await plannedResources(ctx, app, nameHooks(await renderAt(ctx, app, source, commit.sha), op));
  } catch {
    // The step machine reports the render error as the operation's failure.
  }
  status.operationState = op;
  const written = await writeStatus(ctx, app, status);
  ctx.log(`${app.namespace}/${app.name}: sync to ${commit.sha.slice(0, 7)} started (${options.initiatedBy})`);
  await ctx.events.record(written, { reason: "OperationStarted", message: `sync to ${commit.sha.slice(0, 7)} started by ${options.initiatedBy === "user" ? "a user" : "automated sync"}` });
  return written;
}

/** Takes over a user's `operation` request, if there is one. */
export async function takeOverRequest(ctx: ControllerContext, app: Application): Promise<Application> {
  const request = app.operation;
  if (!request) return app;
  const running = app.status.operationState?.phase === "Running";
  let current = app;
  const id = request.id;
  if (!running && app.status.operationState?.id !== id) {
    current = await startOperation(ctx, app, {
      initiatedBy: request.initiatedBy.automated ? "automated" : "user",
      source: request.sync.source,
      revision: request.sync.revision,
      prune: request.sync.prune ?? app.spec.syncPolicy.automated?.prune ?? false,
      id,
    });
  } else if (running && app.status.operationState?.id !== id) {
    // One operation at a time: the request waits for the running one to finish.
    return app;
  }
  const cleared = await ctx.client.patch(
    { apiVersion: app.raw.apiVersion, kind: app.raw.kind, name: app.name, namespace: app.namespace },
    { operation: null },
    { type: "merge" },
  );
  return { ...current, operation: undefined, raw: cleared, resourceVersion: cleared.metadata.resourceVersion ?? "" };
}
