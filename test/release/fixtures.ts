// One fixture builder for release records (STYLE.md rule 13).
import type { Release, ReleaseStatus } from "../../release/model.js";

export interface ReleaseFixture {
  name?: string;
  namespace?: string;
  version?: number;
  status?: ReleaseStatus;
  config?: Record<string, unknown>;
  manifest?: string;
  lock?: Release["info"]["lock"];
}

export function buildRelease(o: ReleaseFixture = {}): Release {
  const time = "2024-01-01T00:00:00.000Z";
  return {
    name: o.name ?? "demo",
    namespace: o.namespace ?? "default",
    version: o.version ?? 1,
    info: {
      status: o.status ?? "deployed",
      firstDeployed: time,
      lastDeployed: time,
      description: "Install complete",
      ...(o.lock ? { lock: o.lock } : {}),
    },
    chart: {
      metadata: { apiVersion: "v2", name: "demo", version: "0.1.0" },
      metadataText: "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
      values: { replicas: 1 },
      valuesText: "replicas: 1\n",
      templates: [{ path: "templates/cm.yaml", data: Buffer.from("kind: ConfigMap\n").toString("base64") }],
      crds: [],
      files: [],
      dependencies: [],
    },
    config: o.config ?? {},
    computedValues: { replicas: 1, ...(o.config ?? {}) },
    manifest: o.manifest ?? "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n",
    hooks: [],
  };
}
