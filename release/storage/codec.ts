// How a release record becomes a Secret (DESIGN.md "Release records"): type
// berth.dev/release.v1, name berth.release.v1.NAME.vN, labels owner/name/version/status, and the
// record as gzip + base64 JSON under data.release. The payload is decoded defensively: a
// Secret someone edited by hand must give a clear error, not a crash.
import { gunzipSync, gzipSync } from "node:zlib";
import { BerthError } from "../../core/errors.js";
import { isReleaseStatus, type Release } from "../model.js";
import { summarize, type ReleaseSummary } from "../summary.js";

export const SECRET_TYPE = "berth.dev/release.v1";
export const OWNER_LABEL_VALUE = "berth";

export class ReleaseRecordError extends BerthError {
  override readonly code: string = "RELEASE_RECORD";
}

/** Every record's Secret name starts so (what a metadata-only list, which has no type, goes by). */
export const RECORD_PREFIX = "berth.release.v1.";

export function recordName(name: string, version: number): string {
  return `${RECORD_PREFIX}${name}.v${version}`;
}

export function recordLabels(release: Release): Record<string, string> {
  return { owner: OWNER_LABEL_VALUE, name: release.name, version: String(release.version), status: release.info.status };
}

const CHART_ANNOTATION = "berth.dev/chart";
const APP_VERSION_ANNOTATION = "berth.dev/app-version";
const UPDATED_ANNOTATION = "berth.dev/updated";

/** What `list` needs beyond the labels, so it can skip the payload (see summary.ts). */
export function recordAnnotations(release: Release): Record<string, string> {
  const s = summarize(release);
  return { [CHART_ANNOTATION]: s.chart, [APP_VERSION_ANNOTATION]: s.appVersion, [UPDATED_ANNOTATION]: s.updated };
}

/** The summary from a record's labels and annotations; undefined when any is missing (a record from before they were written). */
export function summaryFromMetadata(meta: { namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> }): ReleaseSummary | undefined {
  const labels = meta.labels ?? {};
  const annotations = meta.annotations ?? {};
  const version = Number(labels.version);
  const chart = annotations[CHART_ANNOTATION];
  const updated = annotations[UPDATED_ANNOTATION];
  if (!labels.name || !Number.isInteger(version) || !isReleaseStatus(labels.status) || chart === undefined || updated === undefined) return undefined;
  return {
    name: labels.name,
    namespace: meta.namespace,
    version,
    status: labels.status,
    updated,
    chart,
    appVersion: annotations[APP_VERSION_ANNOTATION] ?? "",
  };
}

/** gzip, then base64: the string that goes under data.release (which the API base64s again). */
export function encodeRelease(release: Release): string {
  const { storageVersion: _ignored, ...payload } = release;
  return gzipSync(Buffer.from(JSON.stringify(payload), "utf8")).toString("base64");
}

export function decodeRelease(encoded: string, where: string): Release {
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(Buffer.from(encoded, "base64")).toString("utf8"));
  } catch (err) {
    throw new ReleaseRecordError(`${where}: release record is not gzip + base64 JSON`, { cause: err });
  }
  if (!isRelease(parsed)) throw new ReleaseRecordError(`${where}: release record lacks name, namespace, version, info.status or chart`);
  return parsed;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isRelease(v: unknown): v is Release {
  return (
    isRecord(v) &&
    typeof v.name === "string" &&
    typeof v.namespace === "string" &&
    typeof v.version === "number" &&
    isRecord(v.info) &&
    isReleaseStatus(v.info.status) &&
    isRecord(v.chart) &&
    isRecord(v.chart.metadata) &&
    typeof v.manifest === "string" &&
    Array.isArray(v.hooks)
  );
}
