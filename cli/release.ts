// Release commands that change a release: install, upgrade, rollback, uninstall. Thin
// bindings: flags → typed options → action.run() → print (STYLE.md rule 1).
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { InstallResult } from "../release/actions/install.js";
import type { DryRun } from "../release/target.js";
import { printObject } from "./output.js";
import { registerReleaseApplyCommands } from "./releaseApply.js";
import { registerReleaseQueryCommands } from "./releaseQuery.js";
import { commandContext, parseDuration, parseRevision, releaseView, statusText, type CommandContext } from "./releaseSupport.js";
import { addValuesOptions, valuesOverrides, type ValuesFlagValues } from "./valuesFlags.js";
import { loadChartReference } from "./chartRef.js";

function parseDryRun(value: string | boolean | undefined): DryRun {
  if (value === undefined || value === false) return "none";
  if (value === true || value === "client" || value === "true") return "client";
  if (value === "server") return "server";
  throw new UsageError(`--dry-run: expected client or server, got "${String(value)}"`);
}

function addDeployOptions(cmd: Command): Command {
  return addValuesOptions(cmd)
    .option("--dry-run [mode]", "simulate: client (no cluster) or server (validated by the API server)")
    .option("--wait", "wait until every object is ready")
    .option("--timeout <duration>", "time to wait for objects and for each hook", "5m")
    .option("--atomic", "undo the operation if it fails (implies --wait)")
    .option("--description <text>", "description recorded with the revision")
    .option("--skip-crds", "do not install the chart's CRDs")
    .option("--no-hooks", "do not run hooks")
    .option("--history-max <n>", "revisions to keep per release (0: no limit)", "10")
    .option("--force-conflicts", "take over fields another field manager owns")
    .option("--version <constraint>", "chart version constraint");
}

interface DeployFlags extends ValuesFlagValues {
  dryRun?: string | boolean;
  wait?: boolean;
  timeout: string;
  atomic?: boolean;
  description?: string;
  skipCrds?: boolean;
  hooks: boolean;
  historyMax: string;
  forceConflicts?: boolean;
  version?: string;
}

async function deployOptions(chartRef: string, flags: DeployFlags, namespace: string) {
  const { readUserValues } = await import("../charts/values/index.js");
  const historyMax = Number(flags.historyMax);
  if (!Number.isInteger(historyMax) || historyMax < 0) throw new UsageError(`--history-max: expected a whole number, got "${flags.historyMax}"`);
  return {
    chart: await loadChartReference(chartRef, flags.version),
    namespace,
    userValues: await readUserValues(valuesOverrides(flags), { cwd: process.cwd() }),
    dryRun: parseDryRun(flags.dryRun),
    wait: flags.wait,
    timeoutMs: parseDuration(flags.timeout),
    atomic: flags.atomic,
    description: flags.description,
    skipCrds: flags.skipCrds,
    noHooks: flags.hooks === false,
    historyMax,
    forceConflicts: flags.forceConflicts,
  };
}

function printResult(result: InstallResult, cc: CommandContext, dryRun: DryRun): void {
  if (result.recovered) process.stderr.write(`Warning: ${result.recovered}\n`);
  printObject(releaseView(result.release), cc.global.output, () => {
    const text = statusText(result.release);
    return dryRun === "none" ? text : `${text}MANIFEST:\n${result.release.manifest}`;
  });
}

export function registerReleaseCommands(program: Command): void {
  addDeployOptions(
    program
      .command("install")
      .description("install a chart as a release")
      .argument("<release-or-chart>", "release name (or the chart, with --generate-name)")
      .argument("[chart]", "chart folder or archive")
      .option("--create-namespace", "create the release namespace if absent")
      .option("-g, --generate-name", "generate the release name"),
  ).action(async (first: string, second: string | undefined, flags: DeployFlags & { createNamespace?: boolean; generateName?: boolean }, cmd: Command) => {
    if (second === undefined && !flags.generateName) throw new UsageError("install: expected RELEASE CHART (or CHART with --generate-name)");
    const [releaseName, chartRef] = second === undefined ? [undefined, first] : [first, second];
    const dryRun = parseDryRun(flags.dryRun);
    const cc = await commandContext(cmd, { probe: dryRun !== "client" });
    const { InstallAction } = await import("../release/actions/install.js");
    const options = await deployOptions(chartRef, flags, cc.namespace);
    const action = new InstallAction(cc.ctx, { ...options, releaseName, generateName: flags.generateName, createNamespace: flags.createNamespace });
    printResult(await action.run(), cc, dryRun);
  });

  addDeployOptions(
    program
      .command("upgrade")
      .description("upgrade a release to a new chart version or new values")
      .argument("<release>", "release name")
      .argument("<chart>", "chart folder or archive")
      .option("-i, --install", "install the release if it does not exist")
      .option("--create-namespace", "with --install: create the release namespace if absent")
      .option("--reuse-values", "reuse the last release's values and merge in the new ones")
      .option("--reset-values", "use only the chart's values and the new ones")
      .option("--reset-then-reuse-values", "the chart's values, then the last release's, then the new ones"),
  ).action(async (releaseName: string, chartRef: string, flags: DeployFlags & Record<string, boolean | undefined>, cmd: Command) => {
    const dryRun = parseDryRun(flags.dryRun);
    const cc = await commandContext(cmd, { probe: dryRun !== "client" });
    const { UpgradeAction } = await import("../release/actions/upgrade.js");
    const options = await deployOptions(chartRef, flags, cc.namespace);
    const action = new UpgradeAction(cc.ctx, {
      ...options,
      releaseName,
      install: flags.install,
      createNamespace: flags.createNamespace,
      reuseValues: flags.reuseValues,
      resetValues: flags.resetValues,
      resetThenReuseValues: flags.resetThenReuseValues,
    });
    printResult(await action.run(), cc, dryRun);
  });

  program
    .command("rollback")
    .description("roll a release back to an earlier revision (default: the one before the newest)")
    .argument("<release>", "release name")
    .argument("[revision]", "revision to roll back to")
    .option("--wait", "wait until every object is ready")
    .option("--timeout <duration>", "time to wait for objects and for each hook", "5m")
    .option("--no-hooks", "do not run hooks")
    .option("--force-conflicts", "take over fields another field manager owns")
    .option("--history-max <n>", "revisions to keep per release (0: no limit)", "10")
    .action(async (releaseName: string, revision: string | undefined, flags, cmd: Command) => {
      const wanted = parseRevision(revision, "REVISION");
      const cc = await commandContext(cmd);
      const { RollbackAction } = await import("../release/actions/rollback.js");
      const result = await new RollbackAction(cc.ctx, {
        releaseName,
        namespace: cc.namespace,
        revision: wanted,
        wait: flags.wait,
        timeoutMs: parseDuration(flags.timeout),
        noHooks: flags.hooks === false,
        forceConflicts: flags.forceConflicts,
        historyMax: Number(flags.historyMax),
      }).run();
      if (result.recovered) process.stderr.write(`Warning: ${result.recovered}\n`);
      printObject(releaseView(result.release), cc.global.output, () => `Rollback was a success! ${releaseName} is at revision ${result.release.version}.\n`);
    });

  program
    .command("uninstall")
    .alias("delete")
    .description("uninstall a release: delete its objects and its records")
    .argument("<release>", "release name")
    .option("--keep-history", "keep the release records, marked uninstalled")
    .option("--no-hooks", "do not run hooks")
    .option("--timeout <duration>", "time to wait for each hook", "5m")
    .option("--description <text>", "description recorded with --keep-history")
    .action(async (releaseName: string, flags, cmd: Command) => {
      const cc = await commandContext(cmd);
      const { UninstallAction } = await import("../release/actions/uninstall.js");
      const result = await new UninstallAction(cc.ctx, {
        releaseName,
        namespace: cc.namespace,
        keepHistory: flags.keepHistory,
        noHooks: flags.hooks === false,
        timeoutMs: parseDuration(flags.timeout),
        description: flags.description,
      }).run();
      if (result.recovered) process.stderr.write(`Warning: ${result.recovered}\n`);
      printObject(releaseView(result.release), cc.global.output, () => `release "${releaseName}" uninstalled\n`);
    });

  registerReleaseQueryCommands(program);
  registerReleaseApplyCommands(program);
}
