// Release commands that only read: list, history, status, get, and `test` (which runs the
// test hooks). Thin bindings over release/actions/query.ts and test.ts.
import type { Command } from "commander";
import { stringify } from "yaml";
import { UsageError } from "../core/errors.js";
import { ReleaseError } from "../release/errors.js";
import type { Release, ReleaseStatus } from "../release/model.js";
import type { ReleaseSummary } from "../release/summary.js";
import { formatData, formatTable, printList, printObject, type Column, type OutputFormat } from "./output.js";
import { chartLabel, commandContext, formatTime, parseCount, parseDuration, parseRevision, releaseView, statusText } from "./releaseSupport.js";

const LIST_COLUMNS: Column<ReleaseSummary>[] = [
  { header: "name", value: (r) => r.name },
  { header: "namespace", value: (r) => r.namespace },
  { header: "revision", value: (r) => r.version },
  { header: "updated", value: (r) => formatTime(r.updated) },
  { header: "status", value: (r) => r.status },
  { header: "chart", value: (r) => r.chart },
  { header: "app version", value: (r) => r.appVersion },
];

/** `helm list -o json`'s fields. */
function listView(r: ReleaseSummary): Record<string, unknown> {
  return { name: r.name, namespace: r.namespace, revision: r.version, updated: r.updated, status: r.status, chart: r.chart, app_version: r.appVersion };
}

/** `helm history -o json`'s fields. */
function historyView(r: Release): Record<string, unknown> {
  return {
    revision: r.version,
    updated: r.info.lastDeployed,
    status: r.info.status,
    chart: chartLabel(r),
    app_version: r.chart.metadata.appVersion ?? "",
    description: r.info.description,
  };
}

const STATUS_FLAGS = [
  ["deployed", "deployed"],
  ["failed", "failed"],
  ["superseded", "superseded"],
  ["uninstalled", "uninstalled"],
  ["uninstalling", "uninstalling"],
] as const;

function listStatuses(flags: Record<string, unknown>): ReleaseStatus[] {
  const statuses: ReleaseStatus[] = STATUS_FLAGS.filter(([flag]) => flags[flag]).map(([, status]) => status);
  if (flags.pending) statuses.push("pending-install", "pending-upgrade", "pending-rollback");
  return statuses;
}

function printReleaseList(rows: ReleaseSummary[], flags: { short?: boolean; headers?: boolean }, output: OutputFormat): void {
  if (flags.short) {
    const names = rows.map((r) => r.name);
    process.stdout.write(output === "table" ? names.map((n) => `${n}\n`).join("") : formatData(names, output));
    return;
  }
  if (output === "table" && flags.headers === false) {
    process.stdout.write(formatTable(rows, LIST_COLUMNS).split("\n").slice(1).join("\n"));
    return;
  }
  printList(rows, LIST_COLUMNS, output, (r) => r.map(listView));
}

const HISTORY_COLUMNS: Column<Release>[] = [
  { header: "revision", value: (r) => r.version },
  { header: "updated", value: (r) => formatTime(r.info.lastDeployed) },
  { header: "status", value: (r) => r.info.status },
  { header: "chart", value: chartLabel },
  { header: "app version", value: (r) => r.chart.metadata.appVersion ?? "" },
  { header: "description", value: (r) => r.info.description },
];

const GET_KINDS = ["values", "manifest", "notes", "hooks", "metadata", "all"] as const;
type GetKind = (typeof GET_KINDS)[number];

function isGetKind(v: string): v is GetKind {
  return (GET_KINDS as readonly string[]).includes(v);
}

/** `helm get metadata`'s fields. */
function metadataView(r: Release): Record<string, string | number> {
  return {
    name: r.name,
    chart: r.chart.metadata.name,
    version: r.chart.metadata.version,
    app_version: r.chart.metadata.appVersion ?? "",
    namespace: r.namespace,
    revision: r.version,
    status: r.info.status,
    deployed_at: r.info.lastDeployed,
  };
}

function getText(kind: GetKind, r: Release, all: boolean): string {
  const values = all ? r.computedValues : r.config;
  const hooks = r.hooks.map((h) => `---\n# Source: ${h.path}\n${h.manifest}\n`).join("");
  switch (kind) {
    case "values":
      // Helm prints values with sorted keys (Go maps marshal sorted).
      return `${all ? "COMPUTED VALUES" : "USER-SUPPLIED VALUES"}:\n${Object.keys(values).length === 0 ? "null\n" : stringify(values, { sortMapEntries: true })}`;
    case "manifest":
      return r.manifest;
    case "notes":
      return r.info.notes ? `NOTES:\n${r.info.notes.trimEnd()}\n` : "";
    case "hooks":
      return hooks;
    case "metadata":
      return Object.entries(metadataView(r)).map(([k, v]) => `${k.toUpperCase()}: ${v}\n`).join("");
    case "all":
      return [statusText(r, { showNotes: false }), getText("values", r, all), `HOOKS:\n${hooks}`, `MANIFEST:\n${r.manifest}`, getText("notes", r, all)].join("");
  }
}

function getData(kind: GetKind, r: Release, all: boolean): unknown {
  if (kind === "values") return all ? r.computedValues : r.config;
  if (kind === "manifest") return { manifest: r.manifest };
  if (kind === "notes") return { notes: r.info.notes ?? "" };
  if (kind === "hooks") return releaseView(r).hooks;
  if (kind === "metadata") return metadataView(r);
  return releaseView(r);
}

export function registerReleaseQueryCommands(program: Command): void {
  program
    .command("list")
    .alias("ls")
    .description("list releases (deployed and failed, unless told otherwise)")
    .option("-A, --all-namespaces", "list releases in every namespace")
    .option("-a, --all", "show releases of every status")
    .option("--deployed", "show deployed releases")
    .option("--failed", "show failed releases")
    .option("--pending", "show pending releases (install, upgrade, rollback)")
    .option("--superseded", "show superseded revisions")
    .option("--uninstalled", "show releases uninstalled with --keep-history")
    .option("--uninstalling", "show releases being uninstalled")
    .option("-f, --filter <regex>", "only release names matching this regular expression")
    .option("-d, --date", "sort by release date, oldest first")
    .option("-r, --reverse", "reverse the sort order")
    .option("-m, --max <n>", "at most this many releases (0: no limit)", "256")
    .option("--offset <n>", "skip this many releases first", "0")
    .option("-q, --short", "names only")
    .option("--no-headers", "no header line in table output")
    .action(async (flags, cmd: Command) => {
      const max = parseCount(flags.max, "--max");
      const offset = parseCount(flags.offset, "--offset");
      const cc = await commandContext(cmd);
      const { listReleases } = await import("../release/actions/query.js");
      const rows = await listReleases(cc.ctx.storage, {
        ...(flags.allNamespaces ? {} : { namespace: cc.namespace }),
        all: flags.all,
        statuses: listStatuses(flags),
        filter: flags.filter,
        byDate: flags.date,
        reverse: flags.reverse,
        max,
        offset,
      });
      printReleaseList(rows, flags, cc.global.output);
    });

  program
    .command("history")
    .alias("hist")
    .description("show a release's revisions")
    .argument("<release>", "release name")
    .option("--max <n>", "at most this many revisions (newest)", "256")
    .action(async (releaseName: string, flags, cmd: Command) => {
      const cc = await commandContext(cmd);
      const { releaseHistory } = await import("../release/actions/query.js");
      const rows = await releaseHistory(cc.ctx.storage, { releaseName, namespace: cc.namespace, max: parseRevision(flags.max, "--max") });
      printList(rows, HISTORY_COLUMNS, cc.global.output, (r) => r.map(historyView));
    });

  program
    .command("status")
    .description("show a release's status")
    .argument("<release>", "release name")
    .option("--revision <n>", "a revision other than the newest")
    .option("--show-desc", "show the revision's description")
    .action(async (releaseName: string, flags, cmd: Command) => {
      const cc = await commandContext(cmd);
      const { getRelease } = await import("../release/actions/query.js");
      const r = await getRelease(cc.ctx.storage, { releaseName, namespace: cc.namespace, revision: parseRevision(flags.revision, "--revision") });
      printObject(releaseView(r), cc.global.output, () => statusText(r, { showDescription: flags.showDesc }));
    });

  program
    .command("get")
    .description("show a release's values, manifest, notes, hooks, or all of them")
    .argument("<what>", GET_KINDS.join("|"))
    .argument("<release>", "release name")
    .option("--revision <n>", "a revision other than the newest")
    .option("-a, --all", "values: the computed values, not only the user-supplied ones")
    .action(async (what: string, releaseName: string, flags, cmd: Command) => {
      if (!isGetKind(what)) throw new UsageError(`get: expected one of ${GET_KINDS.join(", ")}, got "${what}"`);
      const cc = await commandContext(cmd);
      const { getRelease } = await import("../release/actions/query.js");
      const r = await getRelease(cc.ctx.storage, { releaseName, namespace: cc.namespace, revision: parseRevision(flags.revision, "--revision") });
      const all = Boolean(flags.all);
      if (cc.global.output === "table") process.stdout.write(getText(what, r, all));
      else process.stdout.write(formatData(getData(what, r, all), cc.global.output));
    });

  program
    .command("test")
    .description("run a release's test hooks")
    .argument("<release>", "release name")
    .option("--logs", "print the logs of test Pods")
    .option("--timeout <duration>", "time to wait for each test", "5m")
    .action(async (releaseName: string, flags, cmd: Command) => {
      const cc = await commandContext(cmd);
      const { TestAction } = await import("../release/actions/test.js");
      const result = await new TestAction(cc.ctx, { releaseName, namespace: cc.namespace, logs: flags.logs, timeoutMs: parseDuration(flags.timeout) }).run();
      printObject(releaseView(result.release), cc.global.output, () => {
        const logs = [...result.logs].map(([name, text]) => `POD LOGS: ${name}\n${text}\n`).join("");
        return statusText(result.release, { showNotes: false }) + logs;
      });
      if (result.error) throw new ReleaseError(`release ${releaseName}: test failed: ${result.error}`);
    });
}
