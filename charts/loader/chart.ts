// Builds a Chart from its files, wherever they came from (a folder or an archive): sorts
// them into Chart.yaml, values, schema, templates, CRDs, subcharts and plain files, as
// Helm's loader.LoadFiles does.
import { ChartError } from "../../core/errors.js";
import type { Chart, ChartFile, ChartLock } from "../model.js";
import { parseValuesYaml } from "../values/valuesFile.js";
import { readChartArchive } from "./archive.js";
import { parseChartMetadata, parseRequirements } from "./chartfile.js";
import { formatYamlProblem, isPlainObject, isYamlProblem, parseYamlText, showValue } from "./yamlDoc.js";

export interface ChartFromFilesOptions {
  /** Where the chart came from (folder or archive path); becomes Chart.source. */
  source: string;
  /** Prefix of file names in messages, e.g. "mychart" or "mychart-0.1.0.tgz/mychart". */
  label: string;
  /** Shared by a chart and every archive nested in it; see ReadArchiveOptions.usedBytes. */
  budget?: ArchiveBudget;
}

export interface ArchiveBudget {
  usedBytes: number;
}

const UTF8_BOM = "\uFEFF";

export async function loadChartFromArchive(data: Buffer, source: string, options: { budget?: ArchiveBudget } = {}): Promise<Chart> {
  const budget = options.budget ?? { usedBytes: 0 };
  const { root, files } = await readChartArchive(data, { source, usedBytes: budget.usedBytes });
  budget.usedBytes += files.reduce((sum, f) => sum + f.data.length, 0);
  return chartFromFiles(files, { source, label: `${source}/${root}`, budget });
}

export async function chartFromFiles(files: readonly ChartFile[], options: ChartFromFilesOptions): Promise<Chart> {
  const { label } = options;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const chartYaml = byPath.get("Chart.yaml");
  if (!chartYaml) throw new ChartError(`${label}: Chart.yaml is missing`, { hint: "a chart folder must contain Chart.yaml" });
  const metadataText = text(chartYaml);
  const metadata = parseChartMetadata(metadataText, `${label}/Chart.yaml`);
  const requirements = byPath.get("requirements.yaml");
  if (metadata.apiVersion === "v1" && requirements && metadata.dependencies === undefined) {
    metadata.dependencies = parseRequirements(text(requirements), `${label}/requirements.yaml`);
  }
  const valuesFile = byPath.get("values.yaml");
  const valuesText = valuesFile ? text(valuesFile) : "";
  const lockFile = metadata.apiVersion === "v1" ? byPath.get("requirements.lock") : byPath.get("Chart.lock");
  const schemaFile = byPath.get("values.schema.json");
  const chart: Chart = {
    metadata,
    metadataText,
    values: parseValues(valuesText, `${label}/values.yaml`),
    valuesText,
    templates: sortByPath(files.filter((f) => f.path.startsWith("templates/"))),
    crds: sortByPath(files.filter((f) => f.path.startsWith("crds/"))),
    files: sortByPath(files.filter(isPlainFile)),
    dependencies: await loadSubcharts(files, options),
    source: options.source,
  };
  if (schemaFile) chart.schema = parseSchema(text(schemaFile), `${label}/values.schema.json`);
  if (lockFile) chart.lock = parseLock(text(lockFile), `${label}/${lockFile.path}`);
  return chart;
}

const SPECIAL_FILES = new Set(["Chart.yaml", "Chart.lock", "values.yaml", "values.schema.json"]);

/** What Helm's `.Files` sees; crds/ stays in, as in Helm. Signatures in charts/ stay too. */
function isPlainFile(file: ChartFile): boolean {
  if (SPECIAL_FILES.has(file.path) || file.path.startsWith("templates/")) return false;
  if (file.path.startsWith("charts/")) return file.path.endsWith(".prov");
  return true;
}

function text(file: ChartFile): string {
  const s = file.data.toString("utf8");
  return s.startsWith(UTF8_BOM) ? s.slice(1) : s;
}

function sortByPath(files: ChartFile[]): ChartFile[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function loadSubcharts(files: readonly ChartFile[], options: ChartFromFilesOptions): Promise<Chart[]> {
  const budget = options.budget ?? { usedBytes: 0 };
  const groups = new Map<string, ChartFile[]>();
  for (const file of files) {
    if (!file.path.startsWith("charts/") || file.path.endsWith(".prov")) continue;
    const rest = file.path.slice("charts/".length);
    const slash = rest.indexOf("/");
    const name = slash === -1 ? rest : rest.slice(0, slash);
    // Helm skips names starting with "_" or "." (editor files, disabled subcharts).
    if (name.startsWith("_") || name.startsWith(".")) continue;
    const group = groups.get(name) ?? [];
    group.push(slash === -1 ? file : { path: rest.slice(slash + 1), data: file.data });
    groups.set(name, group);
  }
  const charts: Chart[] = [];
  for (const [name, group] of groups) {
    const where = `${options.label}/charts/${name}`;
    const single = group.length === 1 ? group[0] : undefined;
    if (single && single.path === `charts/${name}`) {
      if (!name.endsWith(".tgz")) throw new ChartError(`${where}: not a chart (expected a subchart folder or a .tgz archive)`);
      charts.push(await loadChartFromArchive(single.data, where, { budget }));
    } else {
      charts.push(await chartFromFiles(group, { source: where, label: where, budget }));
    }
  }
  return charts.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** values.yaml is read exactly as -f files are (YAML 1.1 like Helm), so defaults and overrides agree. */
function parseValues(valuesText: string, label: string): Record<string, unknown> {
  return parseValuesYaml(valuesText, { source: label });
}

function parseSchema(schemaText: string, label: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(schemaText);
  } catch (err) {
    throw new ChartError(`${label}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!isPlainObject(value)) throw new ChartError(`${label}: expected a JSON Schema object, got ${showValue(value)}`);
  return value;
}

function parseLock(lockText: string, label: string): ChartLock {
  const parsed = parseYamlText(lockText, label);
  if (isYamlProblem(parsed)) throw new ChartError(formatYamlProblem(parsed));
  const value = parsed.value;
  if (!isPlainObject(value)) throw new ChartError(`${label}: expected a map, got ${showValue(value)}`);
  const deps = Array.isArray(value.dependencies) ? value.dependencies : [];
  return {
    generated: String(value.generated ?? ""),
    digest: String(value.digest ?? ""),
    dependencies: deps.map((d, i) => {
      if (!isPlainObject(d)) throw new ChartError(`${parsed.where(["dependencies", i])}: dependencies[${i}]: expected a map, got ${showValue(d)}`);
      return { name: String(d.name ?? ""), version: String(d.version ?? ""), repository: String(d.repository ?? "") };
    }),
  };
}
