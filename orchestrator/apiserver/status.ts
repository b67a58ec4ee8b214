// The one place that turns any failure into a Kubernetes Status object and HTTP code.
import { BerthError, ConflictError, NotFoundError } from "../../core/errors.js";
import { StoreCompacted, StoreConflict, StoreKeyExists, StoreKeyNotFound, StoreUnavailable } from "../store/errors.js";
import { ApiError, InvalidError, type StatusCause, type StatusReason } from "./errors.js";

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason?: StatusReason;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
  code: number;
}

/** What the request was about, so details name the object like a real server does. */
export interface StatusContext {
  group?: string;
  /** The plural resource ("pods"), as Kubernetes puts in details.kind (Invalid uses the Kind). */
  kind?: string;
  name?: string;
}

interface Mapped {
  code: number;
  reason: StatusReason;
  message: string;
  causes: StatusCause[];
  name?: string;
  /** Invalid names the object's Kind in details.kind (NotFound, Conflict… name the resource). */
  detailsKind?: string;
}

export function toStatus(err: unknown, ctx: StatusContext = {}): Status {
  const m = mapError(err);
  const name = m.name ?? ctx.name;
  const details: Status["details"] = {};
  if (name) details.name = name;
  if (ctx.group) details.group = ctx.group;
  const kind = m.detailsKind ?? ctx.kind;
  if (kind) details.kind = kind;
  if (m.causes.length > 0) details.causes = m.causes;
  const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: m.message, reason: m.reason, code: m.code };
  if (Object.keys(details).length > 0) status.details = details;
  return status;
}

export function successStatus(details: Status["details"]): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", message: "", details, code: 200 };
}

function mapError(err: unknown): Mapped {
  if (err instanceof InvalidError) {
    return { code: err.httpStatus, reason: err.reason, message: err.message, causes: err.causes, name: err.objectName, detailsKind: err.kind };
  }
  if (err instanceof ApiError) {
    return { code: err.httpStatus, reason: err.reason, message: err.message, causes: err.causes, name: err.objectName };
  }
  if (err instanceof StoreKeyExists) return simple(409, "AlreadyExists", err.message);
  if (err instanceof StoreKeyNotFound) return simple(404, "NotFound", err.message);
  if (err instanceof StoreConflict) return simple(409, "Conflict", err.message);
  if (err instanceof StoreCompacted) return simple(410, "Expired", `too old resource version: ${err.requested} (${err.compacted})`);
  if (err instanceof StoreUnavailable) return simple(503, "ServiceUnavailable", err.message);
  if (err instanceof NotFoundError) return simple(404, "NotFound", err.message);
  if (err instanceof ConflictError) return simple(409, "Conflict", err.message);
  if (err instanceof BerthError) {
    const code = err.httpStatus;
    if (code === 422) return simple(422, "Invalid", err.message);
    if (code >= 400 && code < 500) return simple(400, "BadRequest", err.message);
    return simple(500, "InternalError", err.message);
  }
  return mapFastifyError(err);
}

// fastify raises these before a handler runs (body limit, content type, bad URL).
function mapFastifyError(err: unknown): Mapped {
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
  const message = err instanceof Error ? err.message : String(err);
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return simple(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
  }
  if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return simple(415, "UnsupportedMediaType", message);
  const statusCode = typeof err === "object" && err !== null && "statusCode" in err ? Number(err.statusCode) : 500;
  if (statusCode >= 400 && statusCode < 500) return simple(400, "BadRequest", message);
  return simple(500, "InternalError", `Internal error occurred: ${message}`);
}

function simple(code: number, reason: StatusReason, message: string): Mapped {
  return { code, reason, message, causes: [] };
}
