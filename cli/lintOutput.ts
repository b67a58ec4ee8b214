// Prints `berth lint` results the way `helm lint` does, or as JSON / YAML with -o.
import { lintChart, type LintResult } from "../charts/lint/index.js";
import { readUserValues, type ValueOverride } from "../charts/values/index.js";
import type { GlobalOptions } from "./globals.js";
import { printObject } from "./output.js";

export interface LintCommandOptions {
  overrides: ValueOverride[];
  strict?: boolean;
  kubeVersion?: string;
  global: GlobalOptions;
}

/** Lints each chart and prints the report; returns the exit code (1 when any chart failed). */
export async function runLint(charts: string[], options: LintCommandOptions): Promise<number> {
  const userValues = await readUserValues(options.overrides, { cwd: process.cwd() });
  const results: LintResult[] = [];
  for (const chart of charts) {
    results.push(
      await lintChart(chart, {
        userValues,
        strict: options.strict,
        kubeVersion: options.kubeVersion,
        namespace: options.global.namespace,
      }),
    );
  }
  const failed = results.filter((r) => r.failed).length;
  printObject(results, options.global.output, () => formatLint(results, failed));
  return failed > 0 ? 1 : 0;
}

function formatLint(results: LintResult[], failed: number): string {
  const blocks = results.map((r) => {
    const lines = r.messages.map((m) => `[${m.severity.toUpperCase()}] ${m.path}: ${m.message.replace(/\s*\n\s*/g, " ")}`);
    return [`==> Linting ${r.chart}`, ...lines, ""].join("\n");
  });
  const summary = `${results.length} chart(s) linted, ${failed} chart(s) failed`;
  return `${blocks.join("\n")}\n${summary}\n`;
}
