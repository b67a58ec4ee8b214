// Maps etcd client failures to the store's typed errors.
import { StoreCompacted, StoreFutureRevision, StoreUnavailable } from "../errors.js";

export interface ErrorContext {
  endpoints: string[];
  /** The revision asked for, when the call read or watched at one. */
  revision?: number;
  /** Looks up the compacted revision for a precise StoreCompacted. */
  compacted?: number;
  current?: number;
}

export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && err.message.includes("required revision has been compacted");
}

export function isFutureRevisionError(err: unknown): boolean {
  return err instanceof Error && err.message.includes("required revision is a future revision");
}

export function mapEtcdError(err: unknown, context: ErrorContext): Error {
  const revision = context.revision ?? 0;
  if (isCompactedError(err)) return new StoreCompacted(revision, context.compacted ?? revision + 1, { cause: err });
  if (isFutureRevisionError(err)) return new StoreFutureRevision(revision, context.current ?? revision - 1, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new StoreUnavailable(`etcd ${context.endpoints.join(",")}: ${message}`, { cause: err });
}
