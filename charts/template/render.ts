// renderChart: every template of a chart and its subcharts, rendered with values scoped to
// each chart. Mirrors Helm's engine: all files are parsed first (deepest paths first, then
// reverse-alphabetical, so the top chart's defines win), then each non-partial file renders.
import path from "node:path/posix";
import { isLibraryChart, type Chart, type Values } from "../model.js";
import { chartScopes, type ChartScope } from "./context.js";
import { TemplateEngine, type Program } from "./engine.js";
import { deepCopy } from "./helpers/goValues.js";
import type { RenderedTemplates, RenderOptions } from "./types.js";

interface Unit {
  name: string;
  source: string;
  scope: ChartScope;
  /** Partials (base name "_…") only define templates. */
  partial: boolean;
}

function units(scopes: ChartScope[]): Unit[] {
  const out: Unit[] = [];
  for (const scope of scopes) {
    for (const file of scope.chart.templates) {
      const partial = path.basename(file.path).startsWith("_");
      // Helm ignores a library chart's non-partial files entirely.
      if (isLibraryChart(scope.chart) && !partial) continue;
      out.push({ name: `${scope.fullPath}/${file.path}`, source: file.data.toString("utf8"), scope, partial });
    }
  }
  return out;
}

/** Helm's parse order: reverse of (fewer "/" first, then alphabetical). */
function parseOrder(a: Unit, b: Unit): number {
  const depth = b.name.split("/").length - a.name.split("/").length;
  if (depth !== 0) return depth;
  return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
}

function isNotes(unit: Unit): boolean {
  return unit.name === `${unit.scope.fullPath}/templates/NOTES.txt`;
}

export function renderChart(chart: Chart, values: Values, options: RenderOptions): RenderedTemplates {
  const engine = new TemplateEngine({ lookup: options.lookup });
  // Templates may change what they are given (Sprig's merge does); keep the caller's intact.
  const scopes = chartScopes(chart, deepCopy(values), {
    release: deepCopy(options.release),
    capabilities: deepCopy(options.capabilities),
  });
  const all = units(scopes);
  const parsed = new Map<string, Program>();
  for (const unit of [...all].sort(parseOrder)) {
    const ast = engine.parse(unit.name, unit.source);
    engine.addDefines(unit.name, ast);
    if (!unit.partial) parsed.set(unit.name, ast);
  }
  const rendered: RenderedTemplates = new Map();
  for (const unit of [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const ast = parsed.get(unit.name);
    if (ast === undefined) continue;
    const context = {
      ...unit.scope.base,
      Template: { Name: unit.name, BasePath: `${unit.scope.fullPath}/templates` },
    };
    const text = engine.render(unit.name, ast, context, unit.scope.files);
    // Subcharts' NOTES are rendered (their errors count) but only the top chart's are shown.
    if (isNotes(unit) && !unit.scope.isRoot) continue;
    rendered.set(unit.name, text);
  }
  return rendered;
}
