// A small Chart builder for template tests: buildChart(withName("x"), withTemplate(...)).
import type { Capabilities, Chart, ReleaseInfo, Values } from "../../../charts/model.js";
import { renderChart, type RenderOptions } from "../../../charts/template/index.js";

export type ChartOption = (chart: Chart) => void;

export function buildChart(...options: ChartOption[]): Chart {
  const chart: Chart = {
    metadata: { apiVersion: "v2", name: "mychart", version: "0.1.0", appVersion: "1.16.0" },
    metadataText: "",
    values: {},
    valuesText: "",
    templates: [],
    crds: [],
    files: [],
    dependencies: [],
    source: "test",
  };
  for (const option of options) option(chart);
  chart.templates.sort((a, b) => (a.path < b.path ? -1 : 1));
  return chart;
}

export const withName =
  (name: string): ChartOption =>
  (c) => {
    c.metadata.name = name;
  };

export const withMetadata =
  (meta: Partial<Chart["metadata"]>): ChartOption =>
  (c) => {
    c.metadata = { ...c.metadata, ...meta };
  };

/** A file under templates/; `name` is relative to templates/. */
export const withTemplate =
  (name: string, text: string): ChartOption =>
  (c) => {
    c.templates.push({ path: `templates/${name}`, data: Buffer.from(text) });
  };

export const withFile =
  (path: string, data: string | Buffer): ChartOption =>
  (c) => {
    c.files.push({ path, data: Buffer.isBuffer(data) ? data : Buffer.from(data) });
  };

export const withSubchart =
  (sub: Chart): ChartOption =>
  (c) => {
    c.dependencies.push(sub);
  };

export const withLibrary: ChartOption = (c) => {
  c.metadata.type = "library";
};

export const release: ReleaseInfo = {
  Name: "rel",
  Namespace: "default",
  IsInstall: true,
  IsUpgrade: false,
  Revision: 1,
  Service: "Helm",
};

export const capabilities: Capabilities = {
  KubeVersion: { Version: "v1.30.0", Major: "1", Minor: "30", GitVersion: "v1.30.0" },
  APIVersions: ["v1", "apps/v1", "networking.k8s.io/v1"],
};

export function renderOptions(extra: Partial<RenderOptions> = {}): RenderOptions {
  return { release, capabilities, ...extra };
}

export type { Values };

/** Renders one template source in a chart built from `options`; returns its output. */
export function renderOne(source: string, values: Values = {}, ...options: ChartOption[]): string {
  const chart = buildChart(...options, withTemplate("t.yaml", source));
  const out = renderChart(chart, values, renderOptions()).get(`${chart.metadata.name}/templates/t.yaml`);
  if (out === undefined) throw new Error("t.yaml was not rendered");
  return out;
}
