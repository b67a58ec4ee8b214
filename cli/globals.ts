// Global flags shared by every command (DESIGN.md, "CLI surface").
import type { Command } from "commander";
import { parseOutputFormat, type OutputFormat } from "./output.js";

export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  output: OutputFormat;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option("--kubeconfig <path>", "kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)")
    .option("--context <name>", "kubeconfig context to use")
    .option("-n, --namespace <ns>", "namespace scope for this request")
    .option("-o, --output <format>", "output format: table, json or yaml");
}

export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ kubeconfig?: string; context?: string; namespace?: string; output?: string }>();
  return { kubeconfig: o.kubeconfig, context: o.context, namespace: o.namespace, output: parseOutputFormat(o.output) };
}
