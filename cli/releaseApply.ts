// `berth diff upgrade` and `berth apply -f`: the apply engine without a release record (diff)
// or without a chart (apply). Thin bindings over release/actions/diff.ts and applyFiles.ts.
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { Applied, DryRun } from "../release/target.js";
import { printList } from "./output.js";
import { commandContext } from "./releaseSupport.js";
import { addValuesOptions, valuesOverrides } from "./valuesFlags.js";
import { loadChartReference } from "./chartRef.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function useColor(flag: string | undefined): boolean {
  if (flag === "always") return true;
  if (flag === "never") return false;
  if (flag !== undefined && flag !== "auto") throw new UsageError(`--color: expected auto, always or never, got "${flag}"`);
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

export function registerReleaseApplyCommands(program: Command): void {
  const diff = program.command("diff").description("show what a change would do to the live objects");
  addValuesOptions(
    diff
      .command("upgrade")
      .description("diff an upgrade of RELEASE to CHART against the live objects")
      .argument("<release>", "release name")
      .argument("<chart>", "chart folder or archive")
      .option("--reuse-values", "reuse the last release's values and merge in the new ones")
      .option("--reset-values", "use only the chart's values and the new ones")
      .option("--reset-then-reuse-values", "the chart's values, then the last release's, then the new ones")
      .option("--version <constraint>", "chart version constraint")
      .option("--color <when>", "auto, always or never", "auto"),
  ).action(async (releaseName: string, chartRef: string, flags, cmd: Command) => {
    const cc = await commandContext(cmd);
    const { readUserValues } = await import("../charts/values/index.js");
    const { diffUpgrade } = await import("../release/actions/diff.js");
    const diffs = await diffUpgrade(cc.ctx, {
      releaseName,
      namespace: cc.namespace,
      chart: await loadChartReference(chartRef, flags.version),
      userValues: await readUserValues(valuesOverrides(flags), { cwd: process.cwd() }),
      reuseValues: flags.reuseValues,
      resetValues: flags.resetValues,
      resetThenReuseValues: flags.resetThenReuseValues,
      color: useColor(flags.color),
    });
    process.stdout.write(diffs.length === 0 ? "no changes\n" : diffs.join(""));
  });

  program
    .command("apply")
    .description("apply plain manifests (files or folders) with the release apply engine")
    .requiredOption("-f, --filename <path>", "manifest file or folder (repeatable)", collect, [])
    .option("--prune", "delete objects matching -l that berth applied before and the files no longer hold")
    .option("-l, --selector <selector>", "label selector for --prune")
    .option("--dry-run [mode]", "client or server")
    .option("--force-conflicts", "take over fields another field manager owns")
    .action(async (flags, cmd: Command) => {
      const dryRun: DryRun = flags.dryRun === undefined ? "none" : flags.dryRun === "server" ? "server" : flags.dryRun === true || flags.dryRun === "client" ? "client" : invalidDryRun(flags.dryRun);
      const cc = await commandContext(cmd);
      const { applyFiles } = await import("../release/actions/applyFiles.js");
      const results = await applyFiles(cc.ctx, {
        paths: flags.filename,
        namespace: cc.namespace,
        prune: flags.prune,
        selector: flags.selector,
        dryRun,
        forceConflicts: flags.forceConflicts,
      });
      if (cc.global.output === "table") {
        const suffix = dryRun === "none" ? "" : ` (${dryRun} dry run)`;
        process.stdout.write(results.map((r) => `${r.ref.kind.toLowerCase()}/${r.ref.name} ${r.action}${suffix}\n`).join(""));
      } else {
        printList<Applied>(results, [], cc.global.output, (rows) => rows.map((r) => ({ ...r.ref, action: r.action })));
      }
    });
}

function invalidDryRun(value: unknown): never {
  throw new UsageError(`--dry-run: expected client or server, got "${String(value)}"`);
}
