// `berth dependency list | update | build CHART`: flag binding and printing; the work is in
// charts/dependency.
import type { Command } from "commander";
import type { DependencyResult } from "../charts/dependency/index.js";
import { globalOptions } from "./globals.js";
import { printList, printObject } from "./output.js";

export function registerDependencyCommands(program: Command): void {
  const dependency = program.command("dependency").alias("dep").description("manage a chart's dependencies (charts/ and Chart.lock)");

  dependency
    .command("list")
    .alias("ls")
    .description("list the dependencies of a chart and whether charts/ satisfies them")
    .argument("[chart]", "chart folder", ".")
    .action(async (chartDir: string, _opts: unknown, cmd: Command) => {
      const { listDependencies } = await import("../charts/dependency/index.js");
      const rows = await listDependencies(chartDir);
      printList(
        rows,
        [
          { header: "name", value: (r) => r.name },
          { header: "version", value: (r) => r.version },
          { header: "repository", value: (r) => r.repository },
          { header: "status", value: (r) => r.status },
        ],
        globalOptions(cmd).output,
      );
    });

  dependency
    .command("update")
    .alias("up")
    .description("resolve the Chart.yaml version ranges, write Chart.lock and fill charts/")
    .argument("[chart]", "chart folder", ".")
    .option("--skip-refresh", "use the cached repository indexes as they are")
    .action(async (chartDir: string, opts: { skipRefresh?: boolean }, cmd: Command) => {
      const { updateDependencies } = await import("../charts/dependency/index.js");
      report(await updateDependencies(chartDir, { skipRefresh: opts.skipRefresh }), cmd);
    });

  dependency
    .command("build")
    .description("fill charts/ with exactly the versions Chart.lock pins")
    .argument("[chart]", "chart folder", ".")
    .option("--skip-refresh", "use the cached repository indexes as they are")
    .action(async (chartDir: string, opts: { skipRefresh?: boolean }, cmd: Command) => {
      const { buildDependencies } = await import("../charts/dependency/index.js");
      report(await buildDependencies(chartDir, { skipRefresh: opts.skipRefresh }), cmd);
    });
}

function report(result: DependencyResult, cmd: Command): void {
  const data = { dependencies: result.lock.dependencies, digest: result.lock.digest, saved: result.saved, removed: result.removed };
  printObject(data, globalOptions(cmd).output, () =>
    [
      ...result.lock.dependencies.map((d) => `Locked ${d.name} ${d.version}${d.repository ? ` from ${d.repository}` : ""}`),
      ...result.saved.map((f) => `Saved charts/${f}`),
      ...result.removed.map((f) => `Removed stale charts/${f}`),
      result.lockWritten ? "Wrote Chart.lock" : "Chart.lock unchanged",
      "",
    ].join("\n"),
  );
}
