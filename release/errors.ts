// Release-operation failures: a hook that failed, a wait that timed out, an upgrade of a release
// that is not there. They name the release and what failed.
import { BerthError } from "../core/errors.js";

export class ReleaseError extends BerthError {
  override readonly code: string = "RELEASE";
  override readonly httpStatus = 422;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
