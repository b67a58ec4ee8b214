// One error catalogue for the whole tool. Every failure a user can cause is a BerthError
// subclass carrying what they need to fix it; cli/ maps these to exit codes and the API
// server maps them to Kubernetes Status objects. Anything else reaching the top is a bug.

export interface BerthErrorOptions {
  cause?: unknown;
  /** How to fix it, shown after the message. */
  hint?: string;
}

export class BerthError extends Error {
  /** Stable machine-readable code, e.g. "CHART_INVALID". */
  readonly code: string = "BERTH_ERROR";
  /** Process exit code when this error ends a CLI command. */
  readonly exitCode: number = 1;
  /** HTTP status when this error ends a request. */
  readonly httpStatus: number = 500;
  readonly hint?: string;

  constructor(message: string, options: BerthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad command line: unknown flag value, missing argument. */
export class UsageError extends BerthError {
  override readonly code: string = "USAGE";
  override readonly httpStatus = 400;
}

/** A chart that cannot be loaded: missing, bad Chart.yaml, bad layout. */
export class ChartError extends BerthError {
  override readonly code: string = "CHART_INVALID";
  override readonly httpStatus = 400;
}

/** A chart archive that is malformed or hostile (traversal, links, oversize). */
export class ArchiveError extends BerthError {
  override readonly code: string = "ARCHIVE_INVALID";
  override readonly httpStatus = 400;
}

/** Values that cannot be parsed or merged: values files, --set and friends. */
export class ValuesError extends BerthError {
  override readonly code: string = "VALUES_INVALID";
  override readonly httpStatus = 400;
}

/** Values that violate a chart's values.schema.json. */
export class SchemaError extends BerthError {
  override readonly code: string = "VALUES_SCHEMA";
  override readonly httpStatus = 422;
}

/** A template that fails to compile or render, or renders invalid YAML. */
export class TemplateError extends BerthError {
  override readonly code: string = "TEMPLATE";
  override readonly httpStatus = 400;
}

/** Something named does not exist (chart, release, object, repository). */
export class NotFoundError extends BerthError {
  override readonly code: string = "NOT_FOUND";
  override readonly httpStatus = 404;
}

/** A write lost a race or collides with what exists (stale resourceVersion, name taken). */
export class ConflictError extends BerthError {
  override readonly code: string = "CONFLICT";
  override readonly httpStatus = 409;
}

/** A chart repository problem: unreachable, malformed index, digest mismatch. */
export class RepoError extends BerthError {
  override readonly code: string = "REPO";
  override readonly httpStatus = 502;
}

/** The target cluster refused or failed a request. */
export class KubeError extends BerthError {
  override readonly code: string = "KUBE";
  override readonly httpStatus = 502;
}

export function isBerthError(err: unknown): err is BerthError {
  return err instanceof BerthError;
}

/** One line for a user: the message, then how to fix it when we know. */
export function formatUserError(err: BerthError): string {
  const oneLine = err.message.replace(/\s*\n\s*/g, " ").trim();
  return err.hint ? `Error: ${oneLine} (${err.hint})` : `Error: ${oneLine}`;
}

/** Why a git operation failed, so callers can tell a typo from an outage. */
export type GitErrorReason =
  | "unknown-repo"
  | "unknown-revision"
  | "auth"
  | "unreachable"
  | "conflict"
  | "invalid"
  | "failed";

/** A git repository problem; the message names the repository (credentials redacted) and revision. */
export class GitError extends BerthError {
  override readonly code: string = "GIT";
  override readonly httpStatus: number = 502;
  readonly reason: GitErrorReason;
  readonly repoURL: string;
  readonly revision?: string;

  constructor(message: string, options: BerthErrorOptions & { reason: GitErrorReason; repoURL: string; revision?: string }) {
    super(message, options);
    this.reason = options.reason;
    this.repoURL = options.repoURL;
    this.revision = options.revision;
    const statusByReason: Partial<Record<GitErrorReason, number>> = { "unknown-repo": 404, "unknown-revision": 404, auth: 401, invalid: 400, conflict: 409 };
    this.httpStatus = statusByReason[options.reason] ?? 502;
  }
}
