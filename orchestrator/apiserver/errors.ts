// Failures the API server itself raises, each carrying the Kubernetes Status reason a real
// API server would answer with. Store and core errors are mapped in status.ts, in one place.
import { BerthError, type BerthErrorOptions } from "../../core/errors.js";

export type StatusReason =
  | "BadRequest"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "MethodNotAllowed"
  | "Gone"
  | "Expired"
  | "RequestEntityTooLarge"
  | "UnsupportedMediaType"
  | "NotAcceptable"
  | "Forbidden"
  | "InternalError"
  | "ServiceUnavailable";

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface ApiErrorOptions extends BerthErrorOptions {
  causes?: StatusCause[];
  /** The object the request was about, for Status.details. */
  name?: string;
}

/** An error with an explicit HTTP code and Status reason. */
export class ApiError extends BerthError {
  override readonly code: string = "API";
  override readonly httpStatus: number;
  readonly reason: StatusReason;
  readonly causes: StatusCause[];
  readonly objectName?: string;

  constructor(httpStatus: number, reason: StatusReason, message: string, options: ApiErrorOptions = {}) {
    super(message, options);
    this.httpStatus = httpStatus;
    this.reason = reason;
    this.causes = options.causes ?? [];
    this.objectName = options.name;
  }
}

export function badRequest(message: string, options?: ApiErrorOptions): ApiError {
  return new ApiError(400, "BadRequest", message, options);
}

export function notFound(message: string, options?: ApiErrorOptions): ApiError {
  return new ApiError(404, "NotFound", message, options);
}

export function alreadyExists(message: string, options?: ApiErrorOptions): ApiError {
  return new ApiError(409, "AlreadyExists", message, options);
}

export function conflict(message: string, options?: ApiErrorOptions): ApiError {
  return new ApiError(409, "Conflict", message, options);
}

export function methodNotAllowed(message: string): ApiError {
  return new ApiError(405, "MethodNotAllowed", message);
}

export function expired(message: string): ApiError {
  return new ApiError(410, "Expired", message);
}

export function unsupportedMediaType(message: string): ApiError {
  return new ApiError(415, "UnsupportedMediaType", message);
}

export function notAcceptable(message: string): ApiError {
  return new ApiError(406, "NotAcceptable", message);
}

/** A 422 with one cause per bad field; `field` paths are Kubernetes style ("spec.containers[0].image"). */
export class InvalidError extends ApiError {
  override readonly code: string = "API_INVALID";
  constructor(
    readonly kind: string,
    name: string,
    causes: StatusCause[],
  ) {
    const detail = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(", ");
    super(422, "Invalid", `${kind} "${name}" is invalid: ${detail}`, { causes, name });
  }
}

/** A field problem found by validation, before it is wrapped in an InvalidError. */
export function fieldCause(reason: "FieldValueRequired" | "FieldValueInvalid" | "FieldValueNotSupported" | "FieldValueDuplicate" | "FieldValueForbidden", field: string, message: string): StatusCause {
  return { reason, field, message };
}

export function forbidden(message: string, options?: ApiErrorOptions): ApiError {
  return new ApiError(403, "Forbidden", message, options);
}
