// `berth lint`: loads a chart, renders it with the given values and reports every problem
// it finds as errors (the chart is broken) or warnings / info (it works but is off-pattern),
// like `helm lint`. Rendering problems are collected per template, so one bad file does not
// hide the others.
import { isBerthError } from "../../core/errors.js";
import { loadChart } from "../loader/index.js";
import { makeCapabilities } from "../capabilities.js";
import type { Chart, Values } from "../model.js";
import { prepareValues } from "../values/index.js";
import { renderChart } from "../template/index.js";
import { splitManifests } from "../manifest/index.js";
import { checkManifest } from "./manifestRules.js";

export type LintSeverity = "error" | "warning" | "info";

export interface LintMessage {
  severity: LintSeverity;
  /** The chart file the message is about, relative to the chart root ("Chart.yaml", "templates/x.yaml"). */
  path: string;
  message: string;
}

export interface LintResult {
  chart: string;
  messages: LintMessage[];
  /** True when there are errors (or, with strict, warnings). */
  failed: boolean;
}

export interface LintOptions {
  userValues?: Values;
  kubeVersion?: string;
  namespace?: string;
  /** Treat warnings as errors. */
  strict?: boolean;
}

export async function lintChart(chartPath: string, options: LintOptions = {}): Promise<LintResult> {
  const messages: LintMessage[] = [];
  let chart: Chart;
  try {
    chart = await loadChart(chartPath);
  } catch (err) {
    if (!isBerthError(err)) throw err;
    messages.push({ severity: "error", path: "Chart.yaml", message: err.message });
    return finish(chartPath, messages, options);
  }
  messages.push(...checkMetadata(chart));
  messages.push(...renderAndCheck(chart, options));
  return finish(chartPath, messages, options);
}

function finish(chart: string, messages: LintMessage[], options: LintOptions): LintResult {
  const failing = (m: LintMessage) => m.severity === "error" || (options.strict === true && m.severity === "warning");
  return { chart, messages, failed: messages.some(failing) };
}

function checkMetadata(chart: Chart): LintMessage[] {
  const out: LintMessage[] = [];
  const meta = chart.metadata;
  if (!meta.icon) out.push({ severity: "info", path: "Chart.yaml", message: "icon is recommended" });
  if (meta.apiVersion === "v1") {
    out.push({ severity: "warning", path: "Chart.yaml", message: "apiVersion v1 is deprecated, use v2" });
  }
  const present = new Set(chart.dependencies.map((d) => d.metadata.name));
  const missing = (meta.dependencies ?? []).filter((d) => !present.has(d.name)).map((d) => d.name);
  if (missing.length > 0) {
    out.push({
      severity: "warning",
      path: "Chart.yaml",
      message: `chart directory is missing these dependencies: ${missing.join(", ")} (run \`berth dependency update\`)`,
    });
  }
  if (chart.templates.length === 0 && meta.type !== "library") {
    out.push({ severity: "warning", path: "templates/", message: "no templates found: the chart renders nothing" });
  }
  return out;
}

function renderAndCheck(chart: Chart, options: LintOptions): LintMessage[] {
  if (chart.metadata.type === "library") return [];
  let rendered: Map<string, string>;
  try {
    const capabilities = makeCapabilities({ kubeVersion: options.kubeVersion });
    const prepared = prepareValues(chart, options.userValues ?? {});
    const release = {
      Name: "release-name",
      Namespace: options.namespace ?? "default",
      IsInstall: true,
      IsUpgrade: false,
      Revision: 1,
      Service: "Helm",
    };
    rendered = renderChart(prepared.chart, prepared.values, { release, capabilities });
  } catch (err) {
    if (!isBerthError(err)) throw err;
    const path = err.code === "VALUES_SCHEMA" || err.code === "VALUES_INVALID" ? "values.yaml" : "templates/";
    return [{ severity: "error", path, message: err.message }];
  }
  const out: LintMessage[] = [];
  const prefix = `${chart.metadata.name}/`;
  for (const [name, text] of rendered) {
    const rel = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    try {
      const split = splitManifests(new Map([[name, text]]));
      for (const manifest of [...split.manifests, ...split.hooks]) {
        out.push(...checkManifest(manifest).map((message) => ({ severity: "error" as const, path: rel, message })));
      }
    } catch (err) {
      if (!isBerthError(err)) throw err;
      out.push({ severity: "error", path: rel, message: err.message });
    }
  }
  return out;
}
