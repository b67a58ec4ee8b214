// Release commands that change a release: install, upgrade, rollback, uninstall. Thin
// bindings: flags → typed options → action.run() → print (STYLE.md rule 1).
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { InstallResult } from "../release/actions/install.js";
import type { DryRun } from "../release/target.js";
import { printObject } from "./output.js";
import { registerReleaseApplyCommands } from "./releaseApply.js";
import { registerReleaseQueryCommands } from "./releaseQuery.js";
import { commandContext, parseCount, parseDuration, parseRevision, releaseView, statusText, type CommandContext } from "./releaseSupport.js";
import { addValuesOptions, valuesOverrides, type ValuesFlagValues } from "./valuesFlags.js";
import { loadChartReference } from "./chartRef.js";

const DRY_RUN_MODES: Record<string, DryRun> = { client: "client", true: "client", server: "server", none: "none", false: "none" };

function parseDryRun(value: string | boolean | undefined): DryRun {
  if (value === undefined || value === false) return "none";
  if (value === true) return "client";
  const mode = DRY_RUN_MODES[value];
  if (!mode) throw new UsageError(`--dry-run: expected client, server or none, got "${value}"`);
  return mode;
}

/**
 * `--dry-run` takes an optional value, so in `install --dry-run web ./chart` commander reads
 * "web" as the mode. As in Helm (where only `--dry-run=MODE` sets one), a word that is not a
 * mode is the first argument.
 */
function splitDryRun(value: string | boolean | undefined, args: (string | undefined)[]): { dryRun: DryRun; args: string[] } {
  const given = args.filter((a): a is string => a !== undefined);
  if (typeof value === "string" && !(value in DRY_RUN_MODES)) return { dryRun: "client", args: [value, ...given] };
  return { dryRun: parseDryRun(value), args: given };
}

function addDeployOptions(cmd: Command): Command {
  return addValuesOptions(cmd)
    .option("--dry-run [mode]", "simulate: client (no cluster; the default) or server (validated by the API server); use --dry-run=MODE")
    .option("--wait", "wait until every object is ready")
    .option("--timeout <duration>", "time to wait for objects and for each hook", "5m")
    .option("--atomic", "undo the operation if it fails (implies --wait)")
    .option("--description <text>", "description recorded with the revision")
    .option("--skip-crds", "do not install the chart's CRDs")
    .option("--no-hooks", "do not run hooks")
    .option("--history-max <n>", "revisions to keep per release (0: no limit)", "10")
    .option("--force-conflicts", "take over fields another field manager owns")
    .option("--take-ownership", "adopt live objects that belong to no release or another one, and their fields (implies --force-conflicts)")
    .option("--version <constraint>", "chart version constraint (default: the newest stable version)")
    .option("--devel", "use development versions too (same as --version '>0.0.0-0'); ignored with --version");
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
  takeOwnership?: boolean;
  version?: string;
  devel?: boolean;
}

async function deployOptions(chartRef: string, flags: DeployFlags, namespace: string, dryRun: DryRun) {
  const { readUserValues } = await import("../charts/values/index.js");
  const historyMax = parseCount(flags.historyMax, "--history-max");
  const version = flags.version ?? (flags.devel ? ">0.0.0-0" : undefined);
  return {
    chart: await loadChartReference(chartRef, version),
    namespace,
    userValues: await readUserValues(valuesOverrides(flags), { cwd: process.cwd() }),
    dryRun,
    wait: flags.wait,
    timeoutMs: parseDuration(flags.timeout),
    atomic: flags.atomic,
    description: flags.description,
    skipCrds: flags.skipCrds,
    noHooks: flags.hooks === false,
    historyMax,
    forceConflicts: flags.forceConflicts,
    takeOwnership: flags.takeOwnership,
  };
}

/** Helm's text: "Release … does not exist. Installing it now." / "… has been upgraded. Happy Helming!", then the status. */
function printResult(result: InstallResult, cc: CommandContext, o: { dryRun: DryRun; upgrade?: boolean }): void {
  if (result.recovered) process.stderr.write(`Warning: ${result.recovered}\n`);
  printObject(releaseView(result.release), cc.global.output, () => {
    const name = result.release.name;
    const head = result.installed ? `Release "${name}" does not exist. Installing it now.\n` : o.upgrade ? `Release "${name}" has been upgraded. Happy Helming!\n` : "";
    const text = head + statusText(result.release);
    return o.dryRun === "none" ? text : `${text}MANIFEST:\n${result.release.manifest}`;
  });
}

type InstallFlags = DeployFlags & { createNamespace?: boolean; generateName?: boolean; replace?: boolean };
type UpgradeFlags = DeployFlags & { install?: boolean; createNamespace?: boolean; reuseValues?: boolean; resetValues?: boolean; resetThenReuseValues?: boolean; cleanupOnFail?: boolean };

function registerInstall(program: Command): void {
  addDeployOptions(
    program
      .command("install")
      .description("install a chart as a release")
      .argument("<release-or-chart>", "release name (or the chart, with --generate-name)")
      .argument("[chart]", "chart folder or archive, REPO/CHART or a chart URL")
      .option("--create-namespace", "create the release namespace if absent")
      .option("-g, --generate-name", "generate the release name")
      .option("--replace", "re-use the name of a release that failed or was uninstalled with --keep-history"),
  ).action(async (first: string, second: string | undefined, flags: InstallFlags, cmd: Command) => {
    const { dryRun, args } = splitDryRun(flags.dryRun, [first, second]);
    if (args.length > 2 || (args.length < 2 && !flags.generateName) || (args.length > 1 && flags.generateName)) {
      throw new UsageError("install: expected RELEASE CHART (or CHART with --generate-name)");
    }
    const [releaseName, chartRef] = args.length === 1 ? [undefined, args[0]] : [args[0], args[1]];
    const cc = await commandContext(cmd, { probe: dryRun !== "client" });
    const { InstallAction } = await import("../release/actions/install.js");
    const options = await deployOptions(chartRef, flags, cc.namespace, dryRun);
    const action = new InstallAction(cc.ctx, { ...options, releaseName, generateName: flags.generateName, createNamespace: flags.createNamespace, replace: flags.replace });
    printResult(await action.run(), cc, { dryRun });
  });
}

function registerUpgrade(program: Command): void {
  addDeployOptions(
    program
      .command("upgrade")
      .description("upgrade a release to a new chart version or new values")
      .argument("<release>", "release name")
      .argument("[chart]", "chart folder or archive, REPO/CHART or a chart URL")
      .option("-i, --install", "install the release if it does not exist (or was uninstalled)")
      .option("--create-namespace", "with --install: create the release namespace if absent")
      .option("--reuse-values", "reuse the last release's values and merge in the new ones (ignored with --reset-values)")
      .option("--reset-values", "use only the chart's values and the new ones")
      .option("--reset-then-reuse-values", "the chart's values, then the last release's, then the new ones (ignored with --reset-values or --reuse-values)")
      .option("--cleanup-on-fail", "delete the objects this upgrade created when it fails"),
  ).action(async (first: string, second: string | undefined, flags: UpgradeFlags, cmd: Command) => {
    const { dryRun, args } = splitDryRun(flags.dryRun, [first, second]);
    if (args.length !== 2) throw new UsageError("upgrade: expected RELEASE CHART");
    const [releaseName, chartRef] = args;
    const cc = await commandContext(cmd, { probe: dryRun !== "client" });
    const { UpgradeAction, ignoredValuesFlags } = await import("../release/actions/upgrade.js");
    for (const warning of ignoredValuesFlags(flags)) process.stderr.write(`Warning: ${warning}\n`);
    const options = await deployOptions(chartRef, flags, cc.namespace, dryRun);
    const action = new UpgradeAction(cc.ctx, {
      ...options,
      releaseName,
      install: flags.install,
      createNamespace: flags.createNamespace,
      reuseValues: flags.reuseValues,
      resetValues: flags.resetValues,
      resetThenReuseValues: flags.resetThenReuseValues,
      cleanupOnFail: flags.cleanupOnFail,
    });
    printResult(await action.run(), cc, { dryRun, upgrade: true });
  });
}

function registerRollback(program: Command): void {
  program
    .command("rollback")
    .description("roll a release back to an earlier revision (default: the one before the newest)")
    .argument("<release>", "release name")
    .argument("[revision]", "revision to roll back to (default: the previous one)")
    .option("--wait", "wait until every object is ready")
    .option("--timeout <duration>", "time to wait for objects and for each hook", "5m")
    .option("--no-hooks", "do not run hooks")
    .option("--force-conflicts", "take over fields another field manager owns")
    .option("--cleanup-on-fail", "delete the objects this rollback created when it fails")
    .option("--history-max <n>", "revisions to keep per release (0: no limit)", "10")
    .action(async (releaseName: string, revision: string | undefined, flags, cmd: Command) => {
      const wanted = parseRevision(revision, "REVISION");
      const historyMax = parseCount(flags.historyMax, "--history-max");
      const timeoutMs = parseDuration(flags.timeout);
      const cc = await commandContext(cmd);
      const { RollbackAction } = await import("../release/actions/rollback.js");
      const result = await new RollbackAction(cc.ctx, {
        releaseName,
        namespace: cc.namespace,
        revision: wanted,
        wait: flags.wait,
        timeoutMs,
        noHooks: flags.hooks === false,
        forceConflicts: flags.forceConflicts,
        cleanupOnFail: flags.cleanupOnFail,
        historyMax,
      }).run();
      if (result.recovered) process.stderr.write(`Warning: ${result.recovered}\n`);
      printObject(releaseView(result.release), cc.global.output, () => `Rollback was a success! ${releaseName} is at revision ${result.release.version}.\n`);
    });
}

function registerUninstall(program: Command): void {
  program
    .command("uninstall")
    .alias("delete")
    .alias("un")
    .alias("del")
    .description("uninstall releases: delete their objects and their records")
    .argument("<release...>", "release names")
    .option("--keep-history", "keep the release records, marked uninstalled")
    .option("--ignore-not-found", "a release that does not exist is not an error")
    .option("--no-hooks", "do not run hooks")
    .option("--timeout <duration>", "time to wait for each hook", "5m")
    .option("--description <text>", "description recorded with --keep-history")
    .action(async (releaseNames: string[], flags, cmd: Command) => {
      const timeoutMs = parseDuration(flags.timeout);
      const cc = await commandContext(cmd);
      const { UninstallAction } = await import("../release/actions/uninstall.js");
      const { NotFoundError } = await import("../core/errors.js");
      for (const releaseName of releaseNames) {
        const action = new UninstallAction(cc.ctx, {
          releaseName,
          namespace: cc.namespace,
          keepHistory: flags.keepHistory,
          noHooks: flags.hooks === false,
          timeoutMs,
          description: flags.description,
        });
        const result = await action.run().catch((err: unknown) => {
          if (flags.ignoreNotFound && err instanceof NotFoundError) return undefined;
          throw err;
        });
        if (!result) continue;
        if (result.recovered) process.stderr.write(`Warning: ${result.recovered}\n`);
        printObject(releaseView(result.release), cc.global.output, () => `release "${releaseName}" uninstalled\n`);
      }
    });
}

export function registerReleaseCommands(program: Command): void {
  registerInstall(program);
  registerUpgrade(program);
  registerRollback(program);
  registerUninstall(program);
  registerReleaseQueryCommands(program);
  registerReleaseApplyCommands(program);
}
