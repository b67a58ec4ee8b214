// Store failures, typed so the API server can answer with the matching Kubernetes Status
// (AlreadyExists 409, NotFound 404, Conflict 409, Expired / Gone 410).
import { BerthError, ConflictError, NotFoundError, type BerthErrorOptions } from "../../core/errors.js";

export class StoreKeyExists extends ConflictError {
  override readonly code: string = "STORE_KEY_EXISTS";
  constructor(readonly key: string, options?: BerthErrorOptions) {
    super(`key already exists: ${key}`, options);
  }
}

export class StoreKeyNotFound extends NotFoundError {
  override readonly code: string = "STORE_KEY_NOT_FOUND";
  constructor(readonly key: string, options?: BerthErrorOptions) {
    super(`key not found: ${key}`, options);
  }
}

/** A compare-and-swap lost: the key changed since the revision the caller read. */
export class StoreConflict extends ConflictError {
  override readonly code: string = "STORE_CONFLICT";
  constructor(readonly key: string, readonly expected: number, readonly actual: number, options?: BerthErrorOptions) {
    super(`key ${key} was modified (expected revision ${expected}, found ${actual})`, options);
  }
}

/** A read or watch asked for history older than what the store keeps. */
export class StoreCompacted extends BerthError {
  override readonly code: string = "STORE_COMPACTED";
  override readonly httpStatus = 410;
  constructor(readonly requested: number, readonly compacted: number, options?: BerthErrorOptions) {
    super(`revision ${requested} has been compacted (oldest available: ${compacted})`, options);
  }
}

/** The store cannot serve (closed, disk failure, etcd unreachable). */
export class StoreUnavailable extends BerthError {
  override readonly code: string = "STORE_UNAVAILABLE";
  override readonly httpStatus = 503;
}

/** A read asked for a revision the store has not reached yet. */
export class StoreFutureRevision extends BerthError {
  override readonly code: string = "STORE_FUTURE_REVISION";
  override readonly httpStatus = 504;
  constructor(readonly requested: number, readonly current: number, options?: BerthErrorOptions) {
    super(`revision ${requested} is newer than the store's current revision ${current}`, options);
  }
}
