// Release commands that only read: list, history, status, get, and `test` (which runs the
// test hooks). Thin bindings over release/actions/query.ts and test.ts.
import type { Command } from "commander";
import { stringify } from "yaml";
import { UsageError } from "../core/errors.js";
import { ReleaseError } from "../release/errors.js";
import type { Release } from "../release/model.js";
import { formatData, printList, printObject, type Column } from "./output.js";
import { chartLabel, commandContext, formatTime, parseDuration, parseRevision, releaseView, statusText } from "./releaseSupport.js";

const LIST_COLUMNS: Column<Release>[] = [
  { header: "name", value: (r) => r.name },
  { header: "namespace", value: (r) => r.namespace },
  { header: "revision", value: (r) => r.version },
  { header: "updated", value: (r) => formatTime(r.info.lastDeployed) },
  { header: "status", value: (r) => r.info.status },
  { header: "chart", value: chartLabel },
  { header: "app version", value: (r) => r.chart.metadata.appVersion ?? "" },
];

const HISTORY_COLUMNS: Column<Release>[] = [
  { header: "revision", value: (r) => r.version },
  { header: "updated", value: (r) => formatTime(r.info.lastDeployed) },
  { header: "status", value: (r) => r.info.status },
  { header: "chart", value: chartLabel },
  { header: "app version", value: (r) => r.chart.metadata.appVersion ?? "" },
  { header: "description", value: (r) => r.info.description },
];

const GET_KINDS = ["values", "manifest", "notes", "hooks", "all"] as const;
type GetKind = (typeof GET_KINDS)[number];

function isGetKind(v: string): v is GetKind {
  return (GET_KINDS as readonly string[]).includes(v);
}

function getText(kind: GetKind, r: Release, all: boolean): string {
  const values = all ? r.computedValues : r.config;
  const hooks = r.hooks.map((h) => `---\n# Source: ${h.path}\n${h.manifest}\n`).join("");
  switch (kind) {
    case "values":
      return `${all ? "COMPUTED VALUES" : "USER-SUPPLIED VALUES"}:\n${Object.keys(values).length === 0 ? "null\n" : stringify(values)}`;
    case "manifest":
      return r.manifest;
    case "notes":
      return r.info.notes ? `NOTES:\n${r.info.notes.trimEnd()}\n` : "";
    case "hooks":
      return hooks;
    case "all":
      return [statusText(r, { showNotes: false }), getText("values", r, all), `HOOKS:\n${hooks}`, `MANIFEST:\n${r.manifest}`, getText("notes", r, all)].join("");
  }
}

function getData(kind: GetKind, r: Release, all: boolean): unknown {
  if (kind === "values") return all ? r.computedValues : r.config;
  if (kind === "manifest") return { manifest: r.manifest };
  if (kind === "notes") return { notes: r.info.notes ?? "" };
  if (kind === "hooks") return releaseView(r).hooks;
  return releaseView(r);
}

export function registerReleaseQueryCommands(program: Command): void {
  program
    .command("list")
    .alias("ls")
    .description("list releases (deployed and failed, unless told otherwise)")
    .option("-A, --all-namespaces", "list releases in every namespace")
    .option("-a, --all", "show releases of every status")
    .option("-f, --filter <regex>", "only release names matching this regular expression")
    .action(async (flags, cmd: Command) => {
      const cc = await commandContext(cmd);
      const { listReleases } = await import("../release/actions/query.js");
      const rows = await listReleases(cc.ctx.storage, {
        ...(flags.allNamespaces ? {} : { namespace: cc.namespace }),
        all: flags.all,
        filter: flags.filter,
      });
      printList(rows, LIST_COLUMNS, cc.global.output, (r) => r.map(releaseView));
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
      printList(rows, HISTORY_COLUMNS, cc.global.output, (r) => r.map(releaseView));
    });

  program
    .command("status")
    .description("show a release's status")
    .argument("<release>", "release name")
    .option("--revision <n>", "a revision other than the newest")
    .action(async (releaseName: string, flags, cmd: Command) => {
      const cc = await commandContext(cmd);
      const { getRelease } = await import("../release/actions/query.js");
      const r = await getRelease(cc.ctx.storage, { releaseName, namespace: cc.namespace, revision: parseRevision(flags.revision, "--revision") });
      printObject(releaseView(r), cc.global.output, () => statusText(r));
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
