// Renders one revision of a release and builds its record: the chart, user values, computed
// values, manifest text (install order), hooks (weight order) and notes.
import { splitManifests, type HookManifest, type Manifest } from "../charts/manifest/index.js";
import type { Chart, Values } from "../charts/model.js";
import { renderRelease } from "../charts/render.js";
import type { Clock } from "../core/clock.js";
import { manifestText, storeHooks } from "./manifest.js";
import { storeChart, type Release, type ReleaseLock, type ReleaseStatus } from "./model.js";

export interface RenderRevisionOptions {
  name: string;
  namespace: string;
  version: number;
  config: Values;
  isUpgrade: boolean;
  kubeVersion?: string;
}

export interface RenderedRevision {
  /** The record, status to be set by the caller. */
  release: Release;
  crds: Values[];
}

export function renderRevision(chart: Chart, o: RenderRevisionOptions): RenderedRevision {
  const rendered = renderRelease(chart, {
    releaseName: o.name,
    namespace: o.namespace,
    userValues: o.config,
    isUpgrade: o.isUpgrade,
    revision: o.version,
    ...(o.kubeVersion ? { kubeVersion: o.kubeVersion } : {}),
  });
  const crdTexts = new Map(rendered.crds.map(({ source, file }) => [source, file.data.toString("utf8")]));
  const crds = crdTexts.size === 0 ? [] : splitManifests(crdTexts).manifests.map((m) => m.object);
  const release: Release = {
    name: o.name,
    namespace: o.namespace,
    version: o.version,
    info: { status: "unknown", firstDeployed: "", lastDeployed: "", description: "", ...(rendered.notes ? { notes: rendered.notes } : {}) },
    chart: storeChart(chart),
    config: o.config,
    computedValues: rendered.values,
    manifest: manifestText(rendered.manifests),
    hooks: storeHooks(rendered.hooks.filter(isHook)),
  };
  return { release, crds };
}

export interface StampOptions {
  status: ReleaseStatus;
  description: string;
  clock: Clock;
  /** The release's first deployment time, kept across revisions. */
  firstDeployed?: string;
  lock?: ReleaseLock;
}

/** The record with its status, times and lock set for storing. */
export function stamp(release: Release, o: StampOptions): Release {
  const now = new Date(o.clock.now()).toISOString();
  const { lock: _old, ...info } = release.info;
  return {
    ...release,
    info: {
      ...info,
      status: o.status,
      description: o.description,
      firstDeployed: o.firstDeployed ?? now,
      lastDeployed: now,
      ...(o.lock ? { lock: o.lock } : {}),
    },
  };
}

function isHook(m: Manifest): m is HookManifest {
  return m.hook !== undefined;
}
