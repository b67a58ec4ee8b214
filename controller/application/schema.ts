// The Application spec schema: the CRD's openAPIV3Schema (so the API server rejects a bad
// spec from kubectl) and the controller's own check (ajv, with defaults), one source for both.
/** Go's duration syntax ("5s", "1m30s", "100ms") or a plain number of seconds. */
export const DURATION_PATTERN = "^([0-9]+|([0-9]+(ms|s|m|h))+)$";

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
        retry: {
          type: "object",
          properties: {
            limit: { type: "integer" },
            backoff: {
              type: "object",
              properties: {
                /** A duration ("5s", "1m30s") or a number of seconds. */
                duration: { type: "string", pattern: DURATION_PATTERN },
                factor: { type: "integer", minimum: 1 },
                maxDuration: { type: "string", pattern: DURATION_PATTERN },
              },
            },
          },
        },
      },
    },
    /** Argo CD's ignoreDifferences: fields compare leaves out (jsonPointers only). */
    ignoreDifferences: {
      type: "array",
      items: {
        type: "object",
        required: ["kind"],
        properties: {
          group: { type: "string" },
          kind: { type: "string", minLength: 1 },
          name: { type: "string" },
          namespace: { type: "string" },
          jsonPointers: { type: "array", items: { type: "string", pattern: "^(/.*)?$" } },
          jqPathExpressions: { type: "array", items: { type: "string" }, maxItems: 0 },
        },
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
  syncPolicy?: {
    automated?: { prune?: boolean; selfHeal?: boolean };
    syncOptions?: string[];
    retry?: { limit?: number; backoff?: { duration?: string; factor?: number; maxDuration?: string } };
  };
  ignoreDifferences?: RawIgnoreDifference[];
  revisionHistoryLimit?: number;
  pollInterval?: string;
}

export interface RawIgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
}
