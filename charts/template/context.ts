// Builds what each chart's templates see: values scoped to the chart, Chart.yaml with the
// field names Go templates use (Helm exposes its Metadata struct, so `Chart.AppVersion`,
// not `Chart.appVersion`), and the chart's Files.
import type { Capabilities, Chart, ChartDependency, ChartMetadata, ReleaseInfo, Values } from "../model.js";
import { filesObject, type FileSet } from "./helpers/files.js";
import { isPlainObject } from "./helpers/goValues.js";
import type { RootContext } from "./types.js";

/** One chart in the tree being rendered. */
export interface ChartScope {
  chart: Chart;
  /** "<top>" or "<top>/charts/<sub>/charts/<subsub>", as Helm's ChartFullPath. */
  fullPath: string;
  isRoot: boolean;
  files: FileSet;
  base: Omit<RootContext, "Template">;
}

function dependencyObject(dep: ChartDependency): Values {
  return {
    Name: dep.name,
    Version: dep.version ?? "",
    Repository: dep.repository ?? "",
    Condition: dep.condition ?? "",
    Tags: dep.tags ?? [],
    Enabled: dep.enabled ?? true,
    ImportValues: dep.importValues ?? [],
    Alias: dep.alias ?? "",
  };
}

/** Chart.yaml as Helm's templates see it; unset strings are "" like Go's zero values. */
export function chartObject(meta: ChartMetadata): Values {
  return {
    Name: meta.name,
    Version: meta.version,
    AppVersion: meta.appVersion ?? "",
    Description: meta.description ?? "",
    Type: meta.type ?? "",
    APIVersion: meta.apiVersion,
    KubeVersion: meta.kubeVersion ?? "",
    Keywords: meta.keywords ?? [],
    Home: meta.home ?? "",
    Sources: meta.sources ?? [],
    Maintainers: (meta.maintainers ?? []).map((m) => ({ Name: m.name, Email: m.email ?? "", URL: m.url ?? "" })),
    Icon: meta.icon ?? "",
    Deprecated: meta.deprecated ?? false,
    Annotations: meta.annotations ?? {},
    Dependencies: (meta.dependencies ?? []).map(dependencyObject),
  };
}

interface ScopeInput {
  release: ReleaseInfo;
  capabilities: Capabilities;
}

/** Every chart of the tree, parents before their subcharts. */
export function chartScopes(top: Chart, values: Values, input: ScopeInput): ChartScope[] {
  const out: ChartScope[] = [];
  const visit = (chart: Chart, fullPath: string, scoped: Values, isRoot: boolean): void => {
    const files: FileSet = new Map(chart.files.map((f) => [f.path, f.data]));
    out.push({
      chart,
      fullPath,
      isRoot,
      files,
      base: {
        Values: scoped,
        Release: input.release,
        Chart: chartObject(chart.metadata),
        Capabilities: input.capabilities,
        Files: filesObject(files),
      },
    });
    for (const sub of chart.dependencies) {
      const subValues = scoped[sub.metadata.name];
      visit(sub, `${fullPath}/charts/${sub.metadata.name}`, isPlainObject(subValues) ? subValues : {}, false);
    }
  };
  visit(top, top.metadata.name, values, true);
  return out;
}
