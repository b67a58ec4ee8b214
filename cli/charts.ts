// Chart commands: create, lint, template. Thin bindings: parse flags, call the action, print.
import type { Command } from "commander";
import { globalOptions } from "./globals.js";
import { addValuesOptions, valuesOverrides } from "./valuesFlags.js";
import { printObject } from "./output.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerChartCommands(program: Command): void {
  program
    .command("create")
    .description("create a new chart with the given name")
    .argument("<name>", "chart name (also the folder created)")
    .action(async (name: string) => {
      const { createChart } = await import("../charts/create/index.js");
      const dir = await createChart(name);
      process.stdout.write(`Creating ${dir}\n`);
    });

  addValuesOptions(
    program
      .command("lint")
      .description("examine a chart for possible issues")
      .argument("<chart...>", "chart folders or archives")
      .option("--strict", "fail on lint warnings")
      .option("--kube-version <version>", "Kubernetes version used for capabilities and kubeVersion checks"),
  ).action(async (charts: string[], opts, cmd: Command) => {
    const { runLint } = await import("./lintOutput.js");
    process.exitCode = await runLint(charts, { ...opts, overrides: valuesOverrides(opts), global: globalOptions(cmd) });
  });

  addValuesOptions(
    program
      .command("template")
      .description("render chart templates locally and print them")
      .argument("<release>", "release name (optional: with one argument it is the chart, named release-name)")
      .argument("[chart]", "chart folder, archive, REPO/CHART, or chart URL")
      .option("-s, --show-only <path>", "only show manifests rendered from this template (repeatable)", collect, [])
      .option("--output-dir <dir>", "write each template's output to a file under DIR instead of stdout")
      .option("--kube-version <version>", "Kubernetes version for Capabilities.KubeVersion")
      .option("-a, --api-versions <gv>", "extra API versions for Capabilities.APIVersions (repeatable)", collect, [])
      .option("--include-crds", "include the chart's CRDs in the output")
      .option("--no-hooks", "leave out hook manifests")
      .option("--skip-tests", "leave out test hooks")
      .option("--is-upgrade", "set Release.IsUpgrade instead of Release.IsInstall")
      .option("--version <constraint>", "chart version constraint for REPO/CHART (default: the newest stable version)"),
  ).action(async (first: string, second: string | undefined, opts, cmd: Command) => {
    const [releaseName, chartRef] = second === undefined ? ["release-name", first] : [first, second];
    const { resolveChart } = await import("../repo/resolve.js");
    const chartPath = (await resolveChart(chartRef, { version: opts.version })).path;
    const { readUserValues } = await import("../charts/values/index.js");
    const action = await import("../charts/templateAction.js");
    const global = globalOptions(cmd);
    const output = await action.templateChart({
      chartPath,
      releaseName,
      namespace: global.namespace ?? "default",
      userValues: await readUserValues(valuesOverrides(opts), { cwd: process.cwd() }),
      kubeVersion: opts.kubeVersion,
      apiVersions: opts.apiVersions,
      isUpgrade: opts.isUpgrade,
      showOnly: opts.showOnly,
      includeCrds: opts.includeCrds,
      noHooks: opts.hooks === false,
      skipTests: opts.skipTests,
    });
    if (opts.outputDir) {
      for (const file of await action.writeTemplateOutput(output, opts.outputDir)) process.stdout.write(`wrote ${file}\n`);
    } else if (global.output === "table") {
      process.stdout.write(action.formatTemplateOutput(output));
    } else {
      printObject(output.documents.map((d) => d.object), global.output);
    }
  });
}
