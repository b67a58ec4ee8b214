// Kubernetes Status replies mapped onto berth's error catalogue: 404 -> NotFoundError,
// 409 -> ConflictError, anything else -> KubeError; each keeps the Status (reason, causes) so
// callers can report a conflict by field and manager, or tell Expired from Forbidden.
import { ConflictError, KubeError, NotFoundError } from "../../core/errors.js";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface ApiStatus {
  code: number;
  reason: string;
  message: string;
  causes: StatusCause[];
}

export class KubeNotFoundError extends NotFoundError {
  constructor(
    message: string,
    readonly status: ApiStatus,
  ) {
    super(message);
  }
}

export class KubeConflictError extends ConflictError {
  constructor(
    message: string,
    readonly status: ApiStatus,
  ) {
    super(message);
  }
}

export class KubeApiError extends KubeError {
  constructor(
    message: string,
    readonly status: ApiStatus,
    options: { hint?: string } = {},
  ) {
    super(message, options);
  }
}

/** The Status behind an error from this client, if it came from the server. */
export function apiStatusOf(err: unknown): ApiStatus | undefined {
  if (err instanceof KubeNotFoundError || err instanceof KubeConflictError || err instanceof KubeApiError) return err.status;
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Reads a Status object out of a reply body (or makes one from the HTTP code). */
export function parseStatus(code: number, body: unknown): ApiStatus {
  if (!isRecord(body) || body.kind !== "Status") {
    return { code, reason: "", message: typeof body === "string" && body.trim() !== "" ? body.trim() : `HTTP ${code}`, causes: [] };
  }
  const details = isRecord(body.details) ? body.details : {};
  const causes = Array.isArray(details.causes)
    ? details.causes.filter(isRecord).map((c) => ({ reason: str(c.reason), message: str(c.message), field: str(c.field) }))
    : [];
  return { code: typeof body.code === "number" ? body.code : code, reason: str(body.reason), message: str(body.message) || `HTTP ${code}`, causes };
}

/** The catalogue error for a failed request; `what` names the call, e.g. `get deployments/web`. */
export function errorFromStatus(what: string, status: ApiStatus): Error {
  const message = `${what}: ${status.message}`;
  if (status.code === 404) return new KubeNotFoundError(message, status);
  if (status.code === 409) return new KubeConflictError(message, status);
  const hint = status.code === 401 || status.code === 403 ? "check the credentials of the kubeconfig context" : undefined;
  return new KubeApiError(message, status, { hint });
}
