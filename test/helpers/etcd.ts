// A throwaway etcd for tests: started on free loopback ports with a tmp data dir, stopped by
// pid. When etcd is not installed the suite fails with a message saying how to install it;
// it never skips (DESIGN.md: a skipped suite is not a passing one).
import { startLocalEtcd, type LocalEtcd } from "../../orchestrator/store/etcd/localEtcd.js";

export type { LocalEtcd } from "../../orchestrator/store/etcd/localEtcd.js";

export async function startEtcd(): Promise<LocalEtcd> {
  try {
    return await startLocalEtcd();
  } catch (err) {
    const hint = err instanceof Error && "hint" in err && typeof err.hint === "string" ? ` (${err.hint})` : "";
    throw new Error(`cannot start etcd for the etcd store tests: ${String(err)}${hint}`, { cause: err });
  }
}
