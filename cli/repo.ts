// `berth repo index|serve|add|list|update|remove`, `berth search repo`, `berth pull`: flag
// binding and printing only; the actions live in repo/.
import type { Command } from "commander";
import { RepoError, UsageError } from "../core/errors.js";
import { globalOptions } from "./globals.js";
import { printList, printObject } from "./output.js";

export function registerRepoCommands(program: Command): void {
  const repo = program.command("repo").description("add, list, remove, update, index and serve chart repositories");
  registerIndexAndServe(repo);
  registerRepoConfig(repo);
  registerSearch(program);
  registerPull(program);
}

function registerIndexAndServe(repo: Command): void {
  repo
    .command("index")
    .description("generate index.yaml for the chart archives in a folder")
    .argument("<dir>", "folder holding the chart archives (and where index.yaml is written)")
    .option("--url <url>", "URL of the chart repository, prefixed to each archive's path")
    .option("--merge <file>", "merge the generated index into this existing index")
    .action(async (dir: string, opts: { url?: string; merge?: string }) => {
      const { writeIndexDirectory } = await import("../repo/indexDirectory.js");
      const { parseHttpUrl } = await import("../repo/http.js");
      if (opts.url !== undefined) parseHttpUrl(opts.url, "--url");
      await writeIndexDirectory(dir, { url: opts.url, merge: opts.merge });
    });

  repo
    .command("serve")
    .description("serve a folder of chart archives and its index.yaml over HTTP")
    .argument("<dir>", "folder to serve")
    .option("--port <port>", "port to listen on (0 picks a free one)", "8879")
    .option("--address <address>", "address to listen on", "127.0.0.1")
    .option("--username <user>", "require basic auth with this user name")
    .option("--password <password>", "require basic auth with this password")
    .action(async (dir: string, opts: { port: string; address: string; username?: string; password?: string }) => {
      const { serveRepo } = await import("../repo/server.js");
      const port = parsePort(opts.port);
      if ((opts.username === undefined) !== (opts.password === undefined)) {
        throw new UsageError("repo serve: --username and --password go together");
      }
      const auth = opts.username !== undefined ? { username: opts.username, password: opts.password ?? "" } : undefined;
      const server = await serveRepo(dir, { port, address: opts.address, auth });
      process.stdout.write(`Serving ${dir} at ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void server.close().then(resolve, resolve);
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}

function registerRepoConfig(repo: Command): void {
  repo
    .command("add")
    .description("add a chart repository")
    .argument("<name>", "name to refer to the repository by (REPO in REPO/CHART)")
    .argument("<url>", "repository URL (the folder holding index.yaml)")
    .option("--username <user>", "chart repository user name")
    .option("--password <password>", "chart repository password")
    .option("--force-update", "replace the repository if one of that name exists")
    .action(async (name: string, url: string, opts: { username?: string; password?: string; forceUpdate?: boolean }) => {
      const { addRepository } = await import("../repo/client.js");
      const { repoPaths } = await import("../repo/paths.js");
      const result = await addRepository({ name, url, username: opts.username, password: opts.password }, {
        paths: repoPaths(),
        forceUpdate: opts.forceUpdate,
      });
      process.stdout.write(
        result === "unchanged" ? `"${name}" already exists with the same configuration, skipping\n` : `"${name}" has been added to your repositories\n`,
      );
    });

  repo
    .command("list")
    .alias("ls")
    .description("list chart repositories")
    .action(async (_opts: unknown, cmd: Command) => {
      const { loadRepositories } = await import("../repo/repositories.js");
      const { repoPaths } = await import("../repo/paths.js");
      const { output } = globalOptions(cmd);
      // Credentials stay in the file: only names and URLs are ever printed.
      const rows = (await loadRepositories(repoPaths())).repositories.map((r) => ({ name: r.name, url: r.url }));
      if (rows.length === 0 && output === "table") throw new RepoError("no repositories to show", { hint: "add one with berth repo add NAME URL" });
      printList(rows, [{ header: "name", value: (r) => r.name }, { header: "url", value: (r) => r.url }], output);
    });

  repo
    .command("update")
    .alias("up")
    .description("refresh the cached indexes of chart repositories (all, or those named)")
    .argument("[names...]", "repositories to update")
    .action(async (names: string[]) => {
      const { updateRepositories } = await import("../repo/client.js");
      const { repoPaths } = await import("../repo/paths.js");
      process.stdout.write("Hang tight while we grab the latest from your chart repositories...\n");
      const results = await updateRepositories(names, { paths: repoPaths() });
      for (const r of results) {
        if (r.error === undefined) process.stdout.write(`...Successfully got an update from the "${r.name}" chart repository\n`);
      }
      const failed = results.filter((r) => r.error !== undefined);
      if (failed.length > 0) {
        throw new RepoError(`failed to update ${failed.map((r) => `"${r.name}" (${r.error ?? ""})`).join(", ")}; their cached indexes are unchanged`);
      }
      process.stdout.write("Update Complete.\n");
    });

  repo
    .command("remove")
    .alias("rm")
    .description("remove chart repositories")
    .argument("<names...>", "repositories to remove")
    .action(async (names: string[]) => {
      const { removeRepository } = await import("../repo/client.js");
      const { repoPaths } = await import("../repo/paths.js");
      for (const name of names) {
        await removeRepository(name, { paths: repoPaths() });
        process.stdout.write(`"${name}" has been removed from your repositories\n`);
      }
    });
}

function registerSearch(program: Command): void {
  const search = program.command("search").description("search for charts");
  search
    .command("repo")
    .description("search the cached indexes of the configured repositories for charts")
    .argument("[keyword]", "matches chart names, descriptions and keywords (case-insensitive)")
    .option("--version <constraint>", "only versions satisfying this SemVer constraint")
    .option("-l, --versions", "show every matching version, not only the newest")
    .action(async (keyword: string | undefined, opts: { version?: string; versions?: boolean }, cmd: Command) => {
      const { searchRepositories } = await import("../repo/searchAction.js");
      const { repoPaths } = await import("../repo/paths.js");
      const { output } = globalOptions(cmd);
      const results = await searchRepositories({ keyword, version: opts.version, versions: opts.versions, paths: repoPaths() });
      if (results.length === 0 && output === "table") {
        process.stdout.write("No results found\n");
        return;
      }
      printList(
        results,
        [
          { header: "name", value: (r) => r.name },
          { header: "chart version", value: (r) => r.version },
          { header: "app version", value: (r) => r.appVersion },
          { header: "description", value: (r) => r.description },
        ],
        output,
        (rows) => rows.map((r) => ({ name: r.name, version: r.version, app_version: r.appVersion, description: r.description })),
      );
    });
}

function registerPull(program: Command): void {
  program
    .command("pull")
    .description("download a chart from a repository (REPO/CHART) or a chart URL")
    .argument("<chart>", "REPO/CHART or https://…/CHART-VERSION.tgz")
    .option("--version <constraint>", "chart version constraint (default: the newest stable version)")
    .option("--untar", "unpack the chart after downloading it")
    .option("-d, --destination <dir>", "folder to write the chart to (default: the current folder)")
    .action(async (ref: string, opts: { version?: string; untar?: boolean; destination?: string }, cmd: Command) => {
      const { pullChart } = await import("../repo/pull.js");
      const { output } = globalOptions(cmd);
      const result = await pullChart(ref, { version: opts.version, untar: opts.untar, destination: opts.destination });
      printObject(result, output, () => `Pulled ${result.name} ${result.version} to ${result.path}\n`);
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port: expected a port number 0-65535, got ${JSON.stringify(value)}`);
  return port;
}
