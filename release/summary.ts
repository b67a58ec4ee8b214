// What `berth list` shows of a revision, readable without decoding the record: the Secrets
// storage keeps it in the Secret's labels (name, version, status) and annotations (chart, app
// version, time), so listing 1,000 releases decodes no payload.
import type { Release, ReleaseStatus } from "./model.js";

export interface ReleaseSummary {
  name: string;
  namespace: string;
  version: number;
  status: ReleaseStatus;
  /** info.lastDeployed (ISO time). */
  updated: string;
  /** NAME-VERSION of the chart, as Helm prints it. */
  chart: string;
  appVersion: string;
}

export function summarize(r: Release): ReleaseSummary {
  return {
    name: r.name,
    namespace: r.namespace,
    version: r.version,
    status: r.info.status,
    updated: r.info.lastDeployed,
    chart: `${r.chart.metadata.name}-${r.chart.metadata.version}`,
    appVersion: r.chart.metadata.appVersion ?? "",
  };
}
