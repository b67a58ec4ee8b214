// The release record: one revision of one release, as stored by every ReleaseStorage. It holds
// everything later commands need without the chart at hand (rollback, get, status): the chart
// itself, the user's values, the computed values, the manifest, notes and hooks.
import type { Chart, ChartMetadata, Values } from "../charts/model.js";
import type { HookEvent } from "../charts/manifest/index.js";

export const RELEASE_STATUSES = [
  "unknown",
  "deployed",
  "uninstalled",
  "superseded",
  "failed",
  "uninstalling",
  "pending-install",
  "pending-upgrade",
  "pending-rollback",
] as const;

export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export const PENDING_STATUSES: readonly ReleaseStatus[] = ["pending-install", "pending-upgrade", "pending-rollback", "uninstalling"];

export function isPending(status: ReleaseStatus): boolean {
  return PENDING_STATUSES.includes(status);
}

export function isReleaseStatus(value: unknown): value is ReleaseStatus {
  return typeof value === "string" && (RELEASE_STATUSES as readonly string[]).includes(value);
}

/** A chart file as stored in a record: the bytes base64-encoded so JSON keeps them exact. */
export interface StoredFile {
  path: string;
  data: string;
}

/** The chart as a record keeps it (Helm's release.Chart): enough to show and re-render it. */
export interface StoredChart {
  metadata: ChartMetadata;
  metadataText: string;
  values: Values;
  valuesText: string;
  schema?: Record<string, unknown>;
  templates: StoredFile[];
  crds: StoredFile[];
  files: StoredFile[];
  dependencies: StoredChart[];
}

export type HookPhase = "Unknown" | "Running" | "Succeeded" | "Failed";

export interface HookExecution {
  startedAt?: string;
  completedAt?: string;
  phase: HookPhase;
  message?: string;
}

export interface ReleaseHook {
  /** metadata.name of the hook object. */
  name: string;
  kind: string;
  apiVersion: string;
  /** The template that produced it. */
  path: string;
  manifest: string;
  events: HookEvent[];
  weight: number;
  deletePolicies: string[];
  lastRun: HookExecution;
}

/**
 * Who holds a release while an operation runs. A pending-* record without a live lock was left
 * by a berth that died; the next operation may take the release over.
 */
export interface ReleaseLock {
  /** "host:pid" of the berth process running the operation. */
  owner: string;
  /** Last time the owner said it is alive (ISO time). */
  heartbeat: string;
  /** After this the lock is stale even if the owner's host cannot be checked (ISO time). */
  expires: string;
}

export interface ReleaseInfo {
  status: ReleaseStatus;
  firstDeployed: string;
  lastDeployed: string;
  deleted?: string;
  description: string;
  notes?: string;
  lock?: ReleaseLock;
}

export interface Release {
  name: string;
  namespace: string;
  /** The revision, from 1. */
  version: number;
  info: ReleaseInfo;
  chart: StoredChart;
  /** The user's values (-f / --set family), as given. */
  config: Values;
  /** The coalesced values the templates saw. */
  computedValues: Values;
  /** Non-hook manifests in install order, joined by "---". */
  manifest: string;
  hooks: ReleaseHook[];
  /**
   * The storage's version of this record (a Secret's resourceVersion); not part of the payload.
   * update() refuses to write when the stored record changed since it was read.
   */
  storageVersion?: string;
}

export function releaseKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function storeFile(file: { path: string; data: Buffer }): StoredFile {
  return { path: file.path, data: file.data.toString("base64") };
}

function loadFile(file: StoredFile): { path: string; data: Buffer } {
  return { path: file.path, data: Buffer.from(file.data, "base64") };
}

export function storeChart(chart: Chart): StoredChart {
  return {
    metadata: chart.metadata,
    metadataText: chart.metadataText,
    values: chart.values,
    valuesText: chart.valuesText,
    ...(chart.schema ? { schema: chart.schema } : {}),
    templates: chart.templates.map(storeFile),
    crds: chart.crds.map(storeFile),
    files: chart.files.map(storeFile),
    dependencies: chart.dependencies.map(storeChart),
  };
}

/** The chart back from a record, so `upgrade --reuse-values` or a re-render needs no chart source. */
export function loadStoredChart(stored: StoredChart, source: string): Chart {
  return {
    metadata: stored.metadata,
    metadataText: stored.metadataText,
    values: stored.values,
    valuesText: stored.valuesText,
    ...(stored.schema ? { schema: stored.schema } : {}),
    templates: stored.templates.map(loadFile),
    crds: stored.crds.map(loadFile),
    files: stored.files.map(loadFile),
    dependencies: stored.dependencies.map((d) => loadStoredChart(d, `${source}/charts/${d.metadata.name}`)),
    source,
  };
}
