// `berth show chart|values|readme|crds|all CHART`: prints a chart's files as written, like
// `helm show`. `all` is Chart.yaml, values.yaml and the README separated by `---`.
import type { Command } from "commander";
import type { Chart } from "../charts/model.js";
import { globalOptions } from "./globals.js";
import { printObject } from "./output.js";

type ShowPart = "chart" | "values" | "readme" | "crds" | "all";

const PARTS: { part: ShowPart; description: string }[] = [
  { part: "chart", description: "show the chart's definition (Chart.yaml)" },
  { part: "values", description: "show the chart's default values (values.yaml)" },
  { part: "readme", description: "show the chart's README" },
  { part: "crds", description: "show the chart's CustomResourceDefinitions (crds/)" },
  { part: "all", description: "show Chart.yaml, values.yaml and the README" },
];

// Helm's names, matched case-insensitively at the chart's top level.
const README_NAMES = ["readme.md", "readme.txt", "readme"];

export function registerShowCommand(program: Command): void {
  const show = program.command("show").description("show information about a chart");
  for (const { part, description } of PARTS) {
    show
      .command(part)
      .description(description)
      .argument("<chart>", "chart folder, .tgz archive, REPO/CHART, or chart URL")
      .option("--version <constraint>", "chart version constraint for REPO/CHART (default: the newest stable version)")
      .action(async (chartRef: string, opts: { version?: string }, cmd: Command) => {
        const { loadChart } = await import("../charts/loader/index.js");
        const { resolveChart } = await import("../repo/resolve.js");
        const chart = await loadChart((await resolveChart(chartRef, { version: opts.version })).path);
        const { output } = globalOptions(cmd);
        const data = part === "chart" ? chart.metadata : part === "values" ? chart.values : undefined;
        if (data === undefined || output === "table") process.stdout.write(showText(chart, part));
        else printObject(data, output);
      });
  }
}

export function showText(chart: Chart, part: ShowPart): string {
  switch (part) {
    case "chart":
      return withNewline(chart.metadataText);
    case "values":
      return withNewline(chart.valuesText);
    case "readme":
      return withNewline(readme(chart) ?? "");
    case "crds":
      return chart.crds.map((f) => crdDocument(f.data.toString("utf8"))).join("");
    case "all":
      return [chart.metadataText, chart.valuesText, readme(chart)]
        .filter((s): s is string => s !== undefined)
        .map(withNewline)
        .join("---\n");
  }
}

function readme(chart: Chart): string | undefined {
  const file = chart.files.find((f) => README_NAMES.includes(f.path.toLowerCase()));
  return file?.data.toString("utf8");
}

function crdDocument(text: string): string {
  return (text.startsWith("---") ? "" : "---\n") + withNewline(text);
}

function withNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}
