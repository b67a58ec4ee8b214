// --cleanup-on-fail (upgrade, rollback): after a failed deploy, delete the objects it
// created, newest first, and nothing that existed before it.
import type { ActionContext } from "./context.js";
import { messageOf } from "./errors.js";
import type { Release } from "./model.js";
import { refText, type ObjectRef } from "./target.js";

/** --cleanup-on-fail: deletes what a failed operation created; says what it did, for the error. */
export async function cleanupCreated(ctx: ActionContext, release: Release, created: readonly ObjectRef[]): Promise<string> {
  if (created.length === 0) return "; --cleanup-on-fail: nothing was created";
  try {
    const deleted = await ctx.target.delete([...created].reverse(), { namespace: release.namespace });
    return `; --cleanup-on-fail: deleted ${deleted.map(refText).join(", ")}`;
  } catch (err) {
    return `; --cleanup-on-fail could not delete what it created: ${messageOf(err)}`;
  }
}

