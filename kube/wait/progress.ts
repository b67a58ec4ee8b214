// Progress of waitForReady for people: on a terminal one live line per pending resource,
// rewritten in place each round; elsewhere (CI logs, pipes) a plain line whenever a
// resource's status or message changes.
import { describeRef } from "../client/objects.js";
import type { ResourceState } from "./wait.js";

export interface ProgressWriter {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function createProgressReporter(out: ProgressWriter): (states: ResourceState[]) => void {
  let drawn = 0;
  const last = new Map<string, string>();
  return (states) => {
    if (out.isTTY) {
      const lines = states.filter((s) => s.status !== "Healthy").map((s) => `${describeRef(s.ref)}: ${s.status} - ${s.message}`);
      const clear = drawn > 0 ? `\u001b[${drawn}A` : "";
      const body = lines.map((l) => `\u001b[2K${l}\n`).join("");
      const leftovers = Array.from({ length: Math.max(0, drawn - lines.length) }, () => "\u001b[2K\n").join("");
      out.write(clear + body + leftovers + (leftovers ? `\u001b[${drawn - lines.length}A` : ""));
      drawn = lines.length;
      return;
    }
    for (const s of states) {
      const line = `${describeRef(s.ref)}: ${s.status} - ${s.message}`;
      const key = describeRef(s.ref);
      if (last.get(key) === line) continue;
      last.set(key, line);
      out.write(line + "\n");
    }
  };
}
