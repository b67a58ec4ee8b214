// Chart metadata as an index entry holds it: Helm's JSON field names (import-values, not
// importValues), empty fields left out, plus urls / created / digest.
import type { ChartDependency, ChartMetadata } from "../charts/model.js";

export interface EntryLocation {
  urls: string[];
  created: string;
  digest: string;
}

export function indexEntryFields(metadata: ChartMetadata, location: EntryLocation): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    apiVersion: metadata.apiVersion,
    name: metadata.name,
    version: metadata.version,
    appVersion: metadata.appVersion,
    description: metadata.description,
    type: metadata.type,
    kubeVersion: metadata.kubeVersion,
    keywords: nonEmpty(metadata.keywords),
    home: metadata.home,
    sources: nonEmpty(metadata.sources),
    maintainers: nonEmpty(metadata.maintainers),
    icon: metadata.icon,
    deprecated: metadata.deprecated === true ? true : undefined,
    annotations: metadata.annotations && Object.keys(metadata.annotations).length > 0 ? metadata.annotations : undefined,
    dependencies: nonEmpty(metadata.dependencies?.map(helmDependency)),
    urls: location.urls,
    created: location.created,
    digest: location.digest,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ""));
}

/** A Chart.yaml dependency with Helm's field names and Go's omitempty rules. */
export function helmDependency(dep: ChartDependency): Record<string, unknown> {
  const out: Record<string, unknown> = { name: dep.name };
  if (dep.version) out.version = dep.version;
  out.repository = dep.repository ?? "";
  if (dep.condition) out.condition = dep.condition;
  if (dep.tags && dep.tags.length > 0) out.tags = dep.tags;
  if (dep.enabled === true) out.enabled = true;
  if (dep.importValues && dep.importValues.length > 0) {
    out["import-values"] = dep.importValues.map((v) => (typeof v === "string" ? v : { child: v.child, parent: v.parent }));
  }
  if (dep.alias) out.alias = dep.alias;
  return out;
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
