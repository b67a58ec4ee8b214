// Shapes of what the controller writes to status and what the CLI writes to `operation`, so
// reading them back is validated like any other input (an edited or stale status is not
// trusted blindly).
const str = { type: "string" } as const;
const bool = { type: "boolean" } as const;

const SOURCE = {
  type: "object",
  required: ["repoURL", "targetRevision", "path"],
  properties: { repoURL: str, targetRevision: str, path: str, helm: { type: "object" } },
} as const;

const RESOURCE = {
  type: "object",
  required: ["group", "version", "kind", "name", "status"],
  properties: {
    group: str, version: str, kind: str, namespace: str, name: str,
    status: { enum: ["Synced", "OutOfSync", "Unknown"] },
    health: str, message: str, hookPhase: str, hookType: str, syncPhase: str,
  },
} as const;

const HISTORY = {
  type: "object",
  required: ["id", "revision", "message", "author", "deployedAt", "deployedBy", "source"],
  properties: {
    id: { type: "integer" }, revision: str, message: str, author: str, deployedAt: str,
    deployedBy: { enum: ["automated", "user"] }, source: SOURCE,
  },
} as const;

const OPERATION_STATE = {
  type: "object",
  required: ["id", "phase", "message", "startedAt", "initiatedBy", "step", "stepApplied", "prune", "syncResult"],
  properties: {
    id: str,
    phase: { enum: ["Running", "Succeeded", "Failed", "Error"] },
    message: str, startedAt: str, finishedAt: str,
    initiatedBy: { enum: ["automated", "user"] },
    source: SOURCE,
    step: { type: "integer" }, stepApplied: bool, prune: bool,
    syncResult: {
      type: "object",
      required: ["revision", "resources"],
      properties: { revision: str, resources: { type: "array", items: RESOURCE } },
    },
    retry: {
      type: "object",
      required: ["limit", "backoff"],
      properties: {
        limit: { type: "integer" },
        backoff: {
          type: "object",
          required: ["durationMs", "factor", "maxDurationMs"],
          properties: { durationMs: { type: "number" }, factor: { type: "number" }, maxDurationMs: { type: "number" } },
        },
      },
    },
    retryCount: { type: "integer" }, attemptStartedAt: str, nextAttemptAt: str,
  },
} as const;

export const STATUS_SCHEMA = {
  type: "object",
  required: ["sync", "health", "resources", "conditions", "history"],
  properties: {
    sync: { type: "object", required: ["status"], properties: { status: { enum: ["Synced", "OutOfSync", "Unknown"] }, revision: str } },
    health: { type: "object", required: ["status"], properties: { status: str, message: str } },
    resources: { type: "array", items: RESOURCE },
    operationState: OPERATION_STATE,
    conditions: {
      type: "array",
      items: { type: "object", required: ["type", "message", "lastTransitionTime"], properties: { type: str, message: str, lastTransitionTime: str } },
    },
    history: { type: "array", items: HISTORY },
    reconciledAt: str,
  },
} as const;

export const OPERATION_SCHEMA = {
  type: "object",
  required: ["id", "sync", "initiatedBy"],
  properties: {
    id: str,
    sync: { type: "object", properties: { revision: str, prune: bool, source: SOURCE } },
    initiatedBy: { type: "object", properties: { username: str, automated: bool } },
  },
} as const;
