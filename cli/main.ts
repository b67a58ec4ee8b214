#!/usr/bin/env node
// berth's entry point: builds the commander program from one module per command group,
// runs it, and turns errors into one clear line and an exit code (never a stack trace for
// user input). Command modules import their actions lazily to keep cold start short.
import { Command, CommanderError } from "commander";
import { formatUserError, isBerthError } from "../core/errors.js";
import { addGlobalOptions } from "./globals.js";
import { registerChartCommands } from "./charts.js";
import { registerPackageCommand } from "./package.js";
import { registerShowCommand } from "./show.js";
import { registerClusterCommands } from "./cluster.js";
import { registerRepoCommands } from "./repo.js";
import { registerDependencyCommands } from "./dependency.js";
import { registerReleaseCommands } from "./release.js";
import { registerAppCommands } from "./app.js";
import { registerControllerCommands } from "./controller.js";
import { registerQuickstartCommand } from "./quickstart.js";

export function buildProgram(): Command {
  const program = new Command("berth")
    .description("Charts, GitOps and a built-in Kubernetes-compatible cluster in one tool")
    // Only -V is the program's: subcommands (pull, template, show, install) own --version as
    // Helm's chart version constraint, which commander would otherwise take anywhere on the
    // line. `berth --version` alone still prints the version (see main).
    .version(VERSION, "-V", "output the version number (also --version)")
    .showSuggestionAfterError(true)
    .exitOverride();
  addGlobalOptions(program);
  registerChartCommands(program);
  registerPackageCommand(program);
  registerShowCommand(program);
  registerClusterCommands(program);
  registerRepoCommands(program);
  registerDependencyCommands(program);
  registerReleaseCommands(program);
  registerAppCommands(program);
  registerControllerCommands(program);
  registerQuickstartCommand(program);
  return program;
}

const VERSION = "0.1.0";

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 3 && argv[2] === "--version") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander already printed its message (or help / version, which exit 0).
    return err.exitCode;
  }
  if (isBerthError(err)) {
    process.stderr.write(formatUserError(err) + "\n");
    if (process.env.BERTH_DEBUG) process.stderr.write(`${err.stack ?? ""}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`Error: internal error: ${message} (this is a bug in berth; rerun with BERTH_DEBUG=1 for details)\n`);
  if (process.env.BERTH_DEBUG && err instanceof Error) process.stderr.write(`${err.stack ?? ""}\n`);
  return 70;
}

main(process.argv).then(
  (code) => {
    // A command may have set its own exit code (e.g. lint failures); keep it.
    if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err);
  },
);
