// The render pipeline shared by `berth template`, `lint`, `install` and the GitOps sync:
// chart + user values → enabled subcharts and coalesced values (schema-checked) → rendered
// templates → manifests in install order, hooks, notes.
import semver from "semver";
import { ChartError, UsageError } from "../core/errors.js";
import { makeCapabilities } from "./capabilities.js";
import type { Chart, ChartFile, ReleaseInfo, Values } from "./model.js";
import { prepareValues } from "./values/index.js";
import { renderChart, type LookupFn } from "./template/index.js";
import { splitManifests, sortForInstall, type Manifest } from "./manifest/index.js";

export interface RenderReleaseOptions {
  releaseName: string;
  namespace: string;
  /** Merged user values (-f / --set family), see charts/values readUserValues. */
  userValues?: Values;
  isUpgrade?: boolean;
  revision?: number;
  kubeVersion?: string;
  apiVersions?: readonly string[];
  lookup?: LookupFn;
}

export interface RenderedRelease {
  /** The chart with disabled subcharts removed and aliases applied. */
  chart: Chart;
  /** The coalesced values the templates saw. */
  values: Values;
  /** Non-hook documents in install order. */
  manifests: Manifest[];
  hooks: Manifest[];
  notes?: string;
  /** crds/ files of the chart and its enabled subcharts, applied before everything else. */
  crds: { source: string; file: ChartFile }[];
}

/** Helm's rule: release names are DNS-1123 labels of at most 53 characters. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateReleaseName(name: string): void {
  if (name.length > 53 || !RELEASE_NAME.test(name)) {
    throw new UsageError(
      `release name "${name}" is invalid: use at most 53 lower-case letters, digits and dashes, starting and ending with a letter or digit`,
    );
  }
}

export function renderRelease(chart: Chart, options: RenderReleaseOptions): RenderedRelease {
  validateReleaseName(options.releaseName);
  const capabilities = makeCapabilities({ kubeVersion: options.kubeVersion, apiVersions: options.apiVersions });
  checkKubeVersion(chart, capabilities.KubeVersion.Version);
  if (chart.metadata.type === "library") {
    throw new ChartError(`${chart.metadata.name}: library charts are not installable (type: library)`, {
      hint: "use it as a dependency of an application chart",
    });
  }
  const prepared = prepareValues(chart, options.userValues ?? {});
  const release: ReleaseInfo = {
    Name: options.releaseName,
    Namespace: options.namespace,
    IsInstall: !options.isUpgrade,
    IsUpgrade: Boolean(options.isUpgrade),
    Revision: options.revision ?? 1,
    Service: "Helm",
  };
  const rendered = renderChart(prepared.chart, prepared.values, { release, capabilities, lookup: options.lookup });
  const split = splitManifests(rendered);
  return {
    chart: prepared.chart,
    values: prepared.values,
    manifests: sortForInstall(split.manifests),
    hooks: split.hooks,
    notes: split.notes,
    crds: collectCrds(prepared.chart, chart.metadata.name),
  };
}

function checkKubeVersion(chart: Chart, kubeVersion: string): void {
  const constraint = chart.metadata.kubeVersion;
  if (!constraint) return;
  // Helm compares without pre-release parts so ">=1.20.0-0" style constraints work.
  if (!semver.satisfies(semver.coerce(kubeVersion) ?? kubeVersion, constraint, { includePrerelease: true })) {
    throw new ChartError(
      `${chart.metadata.name}: chart requires kubeVersion ${constraint}, which is incompatible with Kubernetes ${kubeVersion}`,
      { hint: "pass --kube-version to render for another version" },
    );
  }
}

function collectCrds(chart: Chart, prefix: string): { source: string; file: ChartFile }[] {
  const own = chart.crds.map((file) => ({ source: `${prefix}/${file.path}`, file }));
  const subs = chart.dependencies.flatMap((sub) => collectCrds(sub, `${prefix}/charts/${sub.metadata.name}`));
  return [...own, ...subs];
}
