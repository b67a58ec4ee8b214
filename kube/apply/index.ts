// The apply engine shared by release/ and controller/:
//
//   const results = await applyManifests(objects, { client, fieldManager: "berth", force, dryRun, namespace, diff: true });
//   const pruned = await pruneObjects(previousRevisionObjects, objects, { client, namespace });
//   const { diff } = await planDiff(obj, { client, color: true });     // `diff upgrade`
//
// Results say per object created / configured / unchanged / pruned. Conflicts with another
// field manager throw FieldConflictError (a ConflictError) listing field and manager.
export { applyManifests, hasCondition, planDiff, type ApplyAction, type ApplyManifestsOptions, type ApplyResult, type PlanDiffOptions } from "./apply.js";
export { FieldConflictError, fieldConflictOf, type FieldConflict } from "./conflicts.js";
export { diffObjects, stripServerFields, unifiedDiff, type DiffOptions } from "./diff.js";
export { applyIsNoop } from "./fieldSet.js";
export { installOrder, uninstallOrder } from "./order.js";
export { pruneObjects, type PruneOptions } from "./prune.js";
