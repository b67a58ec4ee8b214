// The chart model shared by the loader, values, template engine, lint, package and release
// code. A Chart is the in-memory form of a Helm v3 chart folder or archive.

/** A values tree: what YAML / JSON parse to (objects, arrays, scalars, null). */
export type Values = Record<string, unknown>;

export interface ImportValuesMapping {
  child: string;
  parent: string;
}

/** One entry of Chart.yaml's `dependencies`. */
export interface ChartDependency {
  name: string;
  /** SemVer range, e.g. "^1.2.0". */
  version?: string;
  /** Repository URL, `file://…`, or `@alias` of a configured repository. */
  repository?: string;
  /** Comma-separated values paths; the first that resolves to a bool decides. */
  condition?: string;
  tags?: string[];
  /** Default true; set false by condition / tags processing. */
  enabled?: boolean;
  alias?: string;
  importValues?: (string | ImportValuesMapping)[];
}

export interface ChartMaintainer {
  name: string;
  email?: string;
  url?: string;
}

/** Chart.yaml, with Helm's field names. */
export interface ChartMetadata {
  apiVersion: "v2" | "v1";
  name: string;
  /** SemVer 2. */
  version: string;
  appVersion?: string;
  description?: string;
  type?: "application" | "library";
  /** SemVer constraint checked against Capabilities.KubeVersion. */
  kubeVersion?: string;
  keywords?: string[];
  home?: string;
  sources?: string[];
  maintainers?: ChartMaintainer[];
  icon?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  dependencies?: ChartDependency[];
}

/** Chart.lock: the exact versions `dependency update` resolved. */
export interface ChartLock {
  generated: string;
  digest: string;
  dependencies: { name: string; version: string; repository: string }[];
}

/** A file of the chart; `path` is relative to the chart root, with forward slashes. */
export interface ChartFile {
  path: string;
  data: Buffer;
}

export interface Chart {
  metadata: ChartMetadata;
  /** Chart.yaml as written, for `berth show chart`. */
  metadataText: string;
  /** values.yaml parsed ({} when absent). */
  values: Values;
  /** values.yaml as written ("" when absent), for `berth show values`. */
  valuesText: string;
  /** values.schema.json parsed, when present. */
  schema?: Record<string, unknown>;
  /** Files under templates/ (including NOTES.txt and _helpers), sorted by path. */
  templates: ChartFile[];
  /** Files under crds/. */
  crds: ChartFile[];
  /**
   * Every other file of the chart (README, config files, ...), as Helm's `.Files` sees them:
   * not templates/, not charts/, not Chart.yaml / Chart.lock / values.yaml /
   * values.schema.json, and not matched by .helmignore.
   */
  files: ChartFile[];
  lock?: ChartLock;
  /** Subcharts from charts/ (folders and .tgz archives), sorted by name. */
  dependencies: Chart[];
  /** Where it came from (a folder or an archive path), for error messages. */
  source: string;
}

export function isLibraryChart(chart: Chart): boolean {
  return chart.metadata.type === "library";
}

/** What a template sees as `Release`. */
export interface ReleaseInfo {
  Name: string;
  Namespace: string;
  IsInstall: boolean;
  IsUpgrade: boolean;
  Revision: number;
  Service: string;
}

/** What a template sees as `Capabilities`. */
export interface Capabilities {
  KubeVersion: { Version: string; Major: string; Minor: string; GitVersion: string };
  /** "group/version" and "group/version/Kind" entries, as Helm's Capabilities.APIVersions. */
  APIVersions: string[];
  HelmVersion?: { Version: string };
}
