// A server-side apply conflict, said by field and manager so the user knows whom they would
// overrule with --force-conflicts.
import { ConflictError } from "../../core/errors.js";
import { apiStatusOf } from "../client/errors.js";
import { describeRef, type ObjectRef } from "../client/objects.js";

export interface FieldConflict {
  field: string;
  manager: string;
}

export class FieldConflictError extends ConflictError {
  override readonly code: string = "APPLY_CONFLICT";

  constructor(
    readonly ref: ObjectRef,
    readonly conflicts: FieldConflict[],
    options: { cause?: unknown } = {},
  ) {
    const list = conflicts.map((c) => `${c.field} (owned by "${c.manager}")`).join(", ");
    super(`apply ${describeRef(ref)}: conflict on ${conflicts.length === 1 ? "field" : "fields"} ${list}`, {
      cause: options.cause,
      hint: "re-run with --force-conflicts to take these fields over",
    });
  }
}

/** The FieldConflictError for a 409 from an apply, or undefined for other errors. */
export function fieldConflictOf(err: unknown, ref: ObjectRef): FieldConflictError | undefined {
  const status = apiStatusOf(err);
  if (!status || status.code !== 409) return undefined;
  const conflicts = status.causes
    .filter((c) => c.reason === "FieldManagerConflict" || c.field)
    .map((c) => ({ field: c.field ?? "?", manager: /conflict with "([^"]+)"/.exec(c.message ?? "")?.[1] ?? "unknown" }));
  if (conflicts.length === 0) return undefined;
  return new FieldConflictError(ref, conflicts, { cause: err });
}
