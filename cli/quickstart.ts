// `berth quickstart` (what `npm start` runs): cluster + GitOps controller + a hosted demo app
// in one foreground process. Parsing only; the wiring is quickstart/run.ts.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";

interface QuickstartFlags {
  dataDir: string;
  port: string;
  gitPort: string;
  seed?: string;
  once?: boolean;
}

/** examples/demo-app of this checkout: the nearest one above this module (dist/cli or the dist/bin bundle). */
function defaultSeed(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "examples", "demo-app");
    if (existsSync(path.join(candidate, "Chart.yaml"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new UsageError("examples/demo-app not found next to berth; pass --seed DIR");
    dir = parent;
  }
}

function port(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag}: expected an integer from 0 to 65535, got "${text}"`);
  return n;
}

export function registerQuickstartCommand(program: Command): void {
  program
    .command("quickstart")
    .description("run the built-in cluster, the GitOps controller and a demo app that follows a hosted git repository")
    .option("--data-dir <dir>", "where everything is kept; reused on the next start", ".berth")
    .option("--port <n>", "API server port (0: a free port)", "6443")
    .option("--git-port <n>", "controller port: hosted git, webhooks, metrics (0: a free port)", "8090")
    .option("--seed <dir>", "the chart the demo repository starts with (default examples/demo-app)")
    .option("--once", "exit after printing instead of running until Ctrl-C (default $BERTH_QUICKSTART_ONCE=1)")
    .action(async (flags: QuickstartFlags) => {
      const { runQuickstart } = await import("../quickstart/run.js");
      await runQuickstart({
        dataDir: flags.dataDir,
        seedDir: flags.seed ?? defaultSeed(),
        port: port(flags.port, "--port"),
        gitPort: port(flags.gitPort, "--git-port"),
        once: flags.once === true || process.env.BERTH_QUICKSTART_ONCE === "1",
      });
    });
}
