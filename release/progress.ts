// What `--wait` shows while a release's objects become ready. On a terminal: the live lines of
// kube/wait (one per pending object, rewritten in place and erased once all are ready), so a
// success leaves nothing behind. Elsewhere (CI logs, pipes): one line per object that was not
// ready at the first check, when it becomes ready; objects ready at once and the intermediate
// states print nothing (a timeout's error names what is still pending and why).
import { describeRef } from "../kube/client/index.js";
import { createProgressReporter, type ProgressWriter, type ResourceState } from "../kube/wait/index.js";

export function releaseWaitReporter(out: ProgressWriter): (states: ResourceState[]) => void {
  if (out.isTTY) return createProgressReporter(out);
  let waiting: Set<string> | undefined;
  return (states) => {
    if (!waiting) {
      waiting = new Set(states.filter((s) => s.status !== "Healthy").map((s) => describeRef(s.ref)));
      return;
    }
    for (const s of states) {
      const key = describeRef(s.ref);
      if (s.status !== "Healthy" || !waiting.delete(key)) continue;
      out.write(`${key}: ${s.status}${s.message ? ` - ${s.message}` : ""}\n`);
    }
  };
}
