// `berth template`: render a chart locally and produce Helm's `helm template` text, or write
// one file per template under --output-dir.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import { UsageError } from "../core/errors.js";
import { loadChart } from "./loader/index.js";
import { renderRelease, type RenderedRelease } from "./render.js";
import { formatManifests, splitManifests, type Manifest } from "./manifest/index.js";
import type { Values } from "./model.js";

export interface TemplateOptions {
  chartPath: string;
  releaseName: string;
  namespace: string;
  userValues: Values;
  kubeVersion?: string;
  apiVersions?: string[];
  isUpgrade?: boolean;
  /** Only templates matching these paths / globs ("templates/x.yaml" or "chart/templates/x.yaml"). */
  showOnly?: string[];
  includeCrds?: boolean;
  noHooks?: boolean;
  skipTests?: boolean;
}

export interface TemplateOutput {
  release: RenderedRelease;
  /** The documents to print, in order. */
  documents: Manifest[];
}

export async function templateChart(options: TemplateOptions): Promise<TemplateOutput> {
  const chart = await loadChart(options.chartPath);
  const release = renderRelease(chart, {
    releaseName: options.releaseName,
    namespace: options.namespace,
    userValues: options.userValues,
    kubeVersion: options.kubeVersion,
    apiVersions: options.apiVersions,
    isUpgrade: options.isUpgrade,
  });
  const hooks = options.noHooks ? [] : release.hooks.filter((h) => !(options.skipTests && isTestHook(h)));
  const crds = options.includeCrds ? crdDocuments(release) : [];
  let documents = [...crds, ...release.manifests, ...hooks];
  if (options.showOnly && options.showOnly.length > 0) {
    documents = selectShowOnly(documents, options.showOnly, release.chart.metadata.name);
  }
  return { release, documents };
}

export function formatTemplateOutput(output: TemplateOutput): string {
  return formatManifests(output.documents);
}

/** Writes each document under DIR/<template name>, appending documents of the same template. */
export async function writeTemplateOutput(output: TemplateOutput, dir: string): Promise<string[]> {
  const bySource = new Map<string, Manifest[]>();
  for (const doc of output.documents) bySource.set(doc.source, [...(bySource.get(doc.source) ?? []), doc]);
  const written: string[] = [];
  for (const [source, docs] of bySource) {
    const file = path.join(dir, source);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, formatManifests(docs));
    written.push(file);
  }
  return written;
}

function isTestHook(hook: Manifest): boolean {
  const annotations = hook.object.metadata;
  const value = isRecord(annotations) && isRecord(annotations.annotations) ? annotations.annotations["helm.sh/hook"] : undefined;
  return typeof value === "string" && value.split(",").some((h) => h.trim().startsWith("test"));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** CRD files are plain YAML, never templated; the manifest splitter parses them. */
function crdDocuments(release: RenderedRelease): Manifest[] {
  const texts = new Map(release.crds.map(({ source, file }) => [source, file.data.toString("utf8")]));
  return texts.size === 0 ? [] : splitManifests(texts).manifests;
}

function selectShowOnly(documents: Manifest[], patterns: string[], chartName: string): Manifest[] {
  const matchers = patterns.map((p) => {
    const full = p.startsWith(`${chartName}/`) ? p : `${chartName}/${p}`;
    return { pattern: p, match: picomatch(full) };
  });
  const selected = documents.filter((d) => matchers.some((m) => m.match(d.source)));
  for (const m of matchers) {
    if (!documents.some((d) => m.match(d.source))) {
      throw new UsageError(`--show-only: could not find template ${m.pattern} in chart`, {
        hint: "name a file under templates/, e.g. templates/service.yaml",
      });
    }
  }
  return selected;
}
