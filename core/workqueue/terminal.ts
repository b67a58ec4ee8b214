// A reconcile failure that retrying cannot fix (bad spec, missing required reference): the
// controller logs it and forgets the key instead of backing off forever. Model:
// controller-runtime reconcile.TerminalError.
import { BerthError, type BerthErrorOptions } from "../errors.js";

export class TerminalError extends BerthError {
  override readonly code: string = "TERMINAL";
  override readonly httpStatus = 422;

  constructor(message: string, options: BerthErrorOptions = {}) {
    super(message, options);
  }
}

export function isTerminalError(err: unknown): err is TerminalError {
  return err instanceof TerminalError;
}
