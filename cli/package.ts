// `berth package CHART... [-d DIR]`: binds flags, runs charts/package, prints one line per
// chart like `helm package` (or the same facts as JSON / YAML with -o).
import type { Command } from "commander";
import { globalOptions } from "./globals.js";
import { printObject } from "./output.js";

export function registerPackageCommand(program: Command): void {
  program
    .command("package")
    .description("package chart folders into versioned chart archives (NAME-VERSION.tgz)")
    .argument("<chart...>", "chart folders to package")
    .option("-d, --destination <dir>", "folder to write the archives to (default: the current folder)")
    .action(async (charts: string[], opts: { destination?: string }, cmd: Command) => {
      const { packageChartWithInfo } = await import("../charts/package/index.js");
      const { output } = globalOptions(cmd);
      const destination = opts.destination ?? process.cwd();
      for (const chart of charts) {
        const packaged = await packageChartWithInfo(chart, { destination });
        const { name, version } = packaged.chart.metadata;
        printObject({ name, version, path: packaged.path }, output, () => `Successfully packaged chart and saved it to: ${packaged.path}\n`);
      }
    });
}
