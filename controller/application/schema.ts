// The Application spec schema: the CRD's openAPIV3Schema (so the API server rejects a bad
// spec from kubectl) and the controller's own check (ajv, with defaults), one source for both.
export const SPEC_SCHEMA = {
  type: "object",
  required: ["source"],
  properties: {
    source: {
      type: "object",
      required: ["repoURL"],
      properties: {
        repoURL: { type: "string", minLength: 1 },
        targetRevision: { type: "string", default: "HEAD" },
        path: { type: "string", default: "." },
        helm: {
          type: "object",
          properties: {
            valueFiles: { type: "array", items: { type: "string" } },
            values: { type: "string" },
            parameters: {
              type: "array",
              items: {
                type: "object",
                required: ["name", "value"],
                properties: { name: { type: "string", minLength: 1 }, value: { type: "string" } },
              },
            },
          },
        },
      },
    },
    destination: {
      type: "object",
      properties: { namespace: { type: "string" } },
    },
    syncPolicy: {
      type: "object",
      properties: {
        automated: {
          type: "object",
          properties: { prune: { type: "boolean" }, selfHeal: { type: "boolean" } },
        },
        syncOptions: { type: "array", items: { type: "string" } },
      },
    },
    revisionHistoryLimit: { type: "integer", minimum: 1, maximum: 1000 },
    /** A duration: "30s", "3m", "1h". */
    pollInterval: { type: "string", pattern: "^[0-9]+(ms|s|m|h)$" },
  },
} as const;

/** The spec as written, after ajv checked it. */
export interface RawSpec {
  source: {
    repoURL: string;
    targetRevision?: string;
    path?: string;
    helm?: { valueFiles?: string[]; values?: string; parameters?: { name: string; value: string }[] };
  };
  destination?: { namespace?: string };
  syncPolicy?: { automated?: { prune?: boolean; selfHeal?: boolean }; syncOptions?: string[] };
  revisionHistoryLimit?: number;
  pollInterval?: string;
}
