// `berth app …`: thin bindings over controller/actions (the controller does the syncing; these
// commands read and write Application objects).
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { Application, HistoryEntry } from "../controller/application/types.js";
import { globalOptions, type GlobalOptions } from "./globals.js";
import { printList, printObject, formatTable, type Column } from "./output.js";
import { parseDuration } from "./releaseSupport.js";

const LIST_COLUMNS: Column<Application>[] = [
  { header: "name", value: (a) => a.name },
  { header: "sync", value: (a) => a.status.sync.status },
  { header: "health", value: (a) => a.status.health.status },
  { header: "revision", value: (a) => a.status.sync.revision?.slice(0, 7) ?? "" },
  { header: "repo", value: (a) => a.spec.source.repoURL },
  { header: "path", value: (a) => a.spec.source.path },
];

const HISTORY_COLUMNS: Column<HistoryEntry>[] = [
  { header: "id", value: (h) => h.id },
  { header: "revision", value: (h) => h.revision.slice(0, 7) },
  { header: "deployed at", value: (h) => h.deployedAt },
  { header: "by", value: (h) => h.deployedBy },
  { header: "author", value: (h) => h.author },
  { header: "message", value: (h) => h.message.split("\n")[0] },
];

async function target(cmd: Command): Promise<{ g: GlobalOptions; client: import("../kube/client/index.js").KubeClient; namespace: string }> {
  const g = globalOptions(cmd);
  const { createKubeClient } = await import("../kube/client/index.js");
  const client = createKubeClient({ kubeconfig: g.kubeconfig, context: g.context, namespace: g.namespace });
  return { g, client, namespace: g.namespace ?? client.namespace };
}

function view(a: Application): Omit<Application, "raw"> {
  const { raw: _raw, ...rest } = a;
  return rest;
}

function appText(a: Application): string {
  const op = a.status.operationState;
  const lines = [
    `Name:         ${a.namespace}/${a.name}`,
    `Source:       ${a.spec.source.repoURL} (path ${a.spec.source.path}, revision ${a.spec.source.targetRevision})`,
    `Destination:  namespace ${a.spec.destination.namespace}`,
    `Sync policy:  ${a.spec.syncPolicy.automated ? `automated (prune ${a.spec.syncPolicy.automated.prune}, selfHeal ${a.spec.syncPolicy.automated.selfHeal})` : "manual"}`,
    `Sync:         ${a.status.sync.status}${a.status.sync.revision ? ` to ${a.status.sync.revision.slice(0, 7)}` : ""}`,
    `Health:       ${a.status.health.status}${a.status.health.message ? ` (${a.status.health.message})` : ""}`,
  ];
  if (op) lines.push(`Operation:    ${op.phase} (${op.initiatedBy}) at ${op.syncResult.revision.slice(0, 7)}: ${op.message}`);
  for (const c of a.status.conditions) lines.push(`Condition:    ${c.type}: ${c.message}`);
  const resources = formatTable(a.status.resources, [
    { header: "kind", value: (r) => r.kind },
    { header: "namespace", value: (r) => r.namespace ?? "" },
    { header: "name", value: (r) => r.name },
    { header: "status", value: (r) => r.status },
    { header: "health", value: (r) => r.health ?? "" },
    { header: "message", value: (r) => r.message ?? "" },
  ]);
  return `${lines.join("\n")}\n\n${resources}`;
}

function timeout(text: string | undefined): number {
  return text ? parseDuration(text) : 300_000;
}

function historyId(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`HISTORY_ID: expected a positive integer, got "${text}"`);
  return Number(text);
}

export function registerAppCommands(program: Command): void {
  const app = program.command("app").description("GitOps applications: a git path the controller keeps deployed");
  registerCreate(app);
  app.command("list").description("list applications").action(async (_o: unknown, cmd: Command) => {
    const t = await target(cmd);
    const { listApps } = await import("../controller/actions/app.js");
    const apps = await listApps({ client: t.client, namespace: t.namespace });
    printList(apps, LIST_COLUMNS, t.g.output, (rows) => rows.map(view));
  });
  app.command("get NAME").description("status, resources, conditions and last operation").action(async (name: string, _o: unknown, cmd: Command) => {
    const t = await target(cmd);
    const { getApp } = await import("../controller/actions/app.js");
    const a = await getApp({ client: t.client, namespace: t.namespace }, name);
    printObject(view(a), t.g.output, () => appText(a));
  });
  app.command("history NAME").description("deployments of an application").action(async (name: string, _o: unknown, cmd: Command) => {
    const t = await target(cmd);
    const { getApp } = await import("../controller/actions/app.js");
    const a = await getApp({ client: t.client, namespace: t.namespace }, name);
    printList(a.status.history, HISTORY_COLUMNS, t.g.output);
  });
  registerOperations(app);
}

interface CreateFlags {
  repo?: string;
  path: string;
  revision?: string;
  destNamespace?: string;
  values: string[];
  autoSync?: boolean;
  prune?: boolean;
  selfHeal?: boolean;
  createNamespace?: boolean;
  pollInterval?: string;
  hosted?: boolean;
  seed?: string;
  controllerDir?: string;
}

function registerCreate(app: Command): void {
  app
    .command("create NAME")
    .description("create an application that follows a git repository")
    .option("--repo <url>", "repository URL (path, file://, http(s)://); not with --hosted")
    .option("--path <p>", "chart or manifests folder in the repository", ".")
    .option("--revision <ref>", "branch, tag or commit to follow (default HEAD; main with --hosted)")
    .option("--dest-namespace <ns>", "namespace to deploy to (default: the app's)")
    .option("--values <file>", "values file in the repository, relative to --path (repeatable)", (v: string, acc: string[]) => [...acc, v], [])
    .option("--auto-sync", "sync every new commit automatically")
    .option("--prune", "with --auto-sync: delete what the commit no longer declares")
    .option("--self-heal", "with --auto-sync: undo changes made to the cluster by hand")
    .option("--create-namespace", "create the destination namespace")
    .option("--poll-interval <d>", "how often to poll the repository, e.g. 30s (default 3m)")
    .option("--hosted", "create a repository NAME hosted by the controller, and follow it")
    .option("--seed <dir>", "with --hosted: a folder whose files become the first commit")
    .option("--controller-dir <dir>", "with --hosted: the controller's --data-dir (default $XDG_DATA_HOME/berth/gitops)")
    .action(async (name: string, o: CreateFlags, cmd: Command) => {
      const t = await target(cmd);
      const common = { client: t.client, namespace: t.namespace, name, path: o.path, destNamespace: o.destNamespace, valueFiles: o.values, autoSync: o.autoSync, prune: o.prune, selfHeal: o.selfHeal, createNamespace: o.createNamespace, pollInterval: o.pollInterval };
      const done = (a: Application): string => `application ${a.namespace}/${a.name} created${o.autoSync ? "; the controller syncs it automatically" : "; run `berth app sync " + a.name + "` to deploy"}\n`;
      if (o.hosted) return createHosted(t.g, { ...common, revision: o.revision }, o, done);
      if (o.repo === undefined) throw new UsageError("--repo is required (or --hosted for a repository hosted by the controller)");
      if (o.seed !== undefined) throw new UsageError("--seed needs --hosted");
      const { createApp } = await import("../controller/actions/app.js");
      const a = await createApp({ ...common, repoURL: o.repo, revision: o.revision ?? "HEAD" });
      printObject(view(a), t.g.output, () => done(a));
    });
}

async function createHosted(g: GlobalOptions, options: Omit<import("../controller/actions/hosted.js").CreateHostedAppOptions, "controllerDir" | "seedDir">, o: CreateFlags, done: (a: Application) => string): Promise<void> {
  if (o.repo !== undefined) throw new UsageError("--repo and --hosted: a hosted app's repository is the one berth creates; give one or the other");
  const [{ createHostedApp, pushInstructions }, { defaultControllerDataDir }] = await Promise.all([import("../controller/actions/hosted.js"), import("../controller/stack.js")]);
  const h = await createHostedApp({ ...options, controllerDir: o.controllerDir ?? defaultControllerDataDir(), seedDir: o.seed });
  const steps = h.head ? ["git clone the repository:", ...pushInstructions(h, { clone: true })] : ["push a chart to it from your repository:", ...pushInstructions(h, { clone: false })];
  printObject({ ...view(h.app), remote: h.remote }, g.output, () => `${done(h.app)}hosted repository: ${h.remote}\n${steps.map((l, i) => (i === 0 ? l : `  ${l}`)).join("\n")}\n`);
}

function registerOperations(app: Command): void {
  app.command("sync NAME").description("deploy the target revision now and wait").option("--revision <r>", "deploy this revision instead").option("--prune", "delete what the revision no longer declares").option("--timeout <d>", "how long to wait", "5m").option("--async", "do not wait")
    .action(async (name: string, o: { revision?: string; prune?: boolean; timeout: string; async?: boolean }, cmd: Command) => {
      const t = await target(cmd);
      const { requestSync } = await import("../controller/actions/app.js");
      const { waitApp } = await import("../controller/actions/wait.js");
      const id = await requestSync(name, { client: t.client, namespace: t.namespace, revision: o.revision, prune: o.prune });
      if (o.async) return void process.stdout.write(`sync of ${name} requested (operation ${id})\n`);
      const a = await waitApp(name, { client: t.client, namespace: t.namespace, operationId: id, timeoutMs: timeout(o.timeout), onProgress: (l) => process.stderr.write(`${l}\n`) });
      printObject(view(a), t.g.output, () => appText(a));
    });
  app.command("rollback NAME [HISTORY_ID]").description("deploy the commit of a history entry (default: the previous) and turn automated sync off").option("--timeout <d>", "how long to wait", "5m")
    .action(async (name: string, id: string | undefined, o: { timeout: string }, cmd: Command) => {
      const t = await target(cmd);
      const { rollbackApp } = await import("../controller/actions/app.js");
      const { waitApp } = await import("../controller/actions/wait.js");
      const r = await rollbackApp(name, { client: t.client, namespace: t.namespace, id: historyId(id) });
      if (r.autoSyncDisabled) process.stdout.write(`automated sync of ${name} turned off (else the next poll would undo the rollback); turn it on again when git holds what you want\n`);
      await waitApp(name, { client: t.client, namespace: t.namespace, operationId: r.operationId, timeoutMs: timeout(o.timeout), onProgress: (l) => process.stderr.write(`${l}\n`) });
      process.stdout.write(`rolled back ${name} to history entry ${r.entry.id} (${r.entry.revision.slice(0, 7)} ${r.entry.message.split("\n")[0]})\n`);
    });
  app.command("revert NAME").description("commit a git revert of the deployed commit to the app's branch").action(async (name: string, _o: unknown, cmd: Command) => {
    const t = await target(cmd);
    const { revertApp } = await import("../controller/actions/gitOps.js");
    const r = await revertApp(name, { client: t.client, namespace: t.namespace });
    process.stdout.write(`reverted ${r.reverted.slice(0, 7)} with commit ${r.commit.sha.slice(0, 7)} ("${r.commit.message.split("\n")[0]}"); it deploys like any push\n`);
  });
  app.command("diff NAME").description("what a sync would change").action(async (name: string, _o: unknown, cmd: Command) => {
    const t = await target(cmd);
    const { diffApp } = await import("../controller/actions/gitOps.js");
    const d = await diffApp(name, { client: t.client, namespace: t.namespace, color: process.stdout.isTTY });
    if (t.g.output !== "table") return printObject(d, t.g.output);
    process.stdout.write(d.diffs.map((x) => x.diff).join("") + d.prune.map((p) => `${p}: would be pruned\n`).join(""));
    if (d.diffs.length === 0 && d.prune.length === 0) process.stdout.write(`${name} is in sync with ${d.revision.slice(0, 7)}\n`);
  });
  app.command("wait NAME").description("wait until the app is synced and / or healthy").option("--sync", "wait for Synced").option("--health", "wait for Healthy").option("--timeout <d>", "how long to wait", "5m")
    .action(async (name: string, o: { sync?: boolean; health?: boolean; timeout: string }, cmd: Command) => {
      const t = await target(cmd);
      const { waitApp } = await import("../controller/actions/wait.js");
      const both = !o.sync && !o.health;
      const a = await waitApp(name, { client: t.client, namespace: t.namespace, sync: both || o.sync, health: both || o.health, timeoutMs: timeout(o.timeout) });
      process.stdout.write(`${a.name}: ${a.status.sync.status}, ${a.status.health.status}\n`);
    });
  app.command("delete NAME").description("delete an application").option("--cascade", "also delete everything it deployed")
    .action(async (name: string, o: { cascade?: boolean }, cmd: Command) => {
      const t = await target(cmd);
      const { deleteApp } = await import("../controller/actions/app.js");
      await deleteApp(name, { client: t.client, namespace: t.namespace, cascade: Boolean(o.cascade) });
      process.stdout.write(`application ${name} deleted${o.cascade ? " (the controller deletes its resources first)" : ""}\n`);
    });
}
