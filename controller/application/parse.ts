// Reading an Application object at the boundary: the spec is checked against its schema (a bad
// one names the field), the status the controller wrote is checked against the shapes it
// writes, and everything gets its documented default.
import { Ajv, type ErrorObject } from "ajv";
import { BerthError } from "../../core/errors.js";
import { isRecord, type Unstructured } from "../../kube/client/index.js";
import { SPEC_SCHEMA, type RawSpec } from "./schema.js";
import {
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_POLL_INTERVAL_MS,
  emptyStatus,
  type Application,
  type ApplicationSource,
  type ApplicationSpec,
  type ApplicationStatus,
  type OperationRequest,
  type RetryStrategy,
} from "./types.js";
import { STATUS_SCHEMA, OPERATION_SCHEMA } from "./statusSchema.js";

/** An Application whose spec breaks its schema. */
export class ApplicationSpecError extends BerthError {
  override readonly code: string = "APP_SPEC";
  override readonly httpStatus = 422;
}

const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true });
const validateSpec = ajv.compile<RawSpec>(SPEC_SCHEMA);
const validateStatus = ajv.compile<ApplicationStatus>(STATUS_SCHEMA);
const validateOperation = ajv.compile<OperationRequest>(OPERATION_SCHEMA);

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return "invalid";
  if (first.instancePath.endsWith("/jqPathExpressions")) {
    return `spec${first.instancePath.replace(/\//g, ".")}: jq path expressions are not supported; use jsonPointers`;
  }
  const where = `spec${first.instancePath.replace(/\//g, ".")}`;
  const value = isRecord(first.params) && "missingProperty" in first.params ? `.${String(first.params.missingProperty)}` : "";
  return `${where}${value}: ${first.message ?? "invalid"}`;
}

const DURATION = /^(\d+(ms|s|m|h))+$/;
const PART = /(\d+)(ms|s|m|h)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's duration syntax ("30s", "1m30s"); a plain number is seconds (Argo CD's retry backoff). */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (!DURATION.test(t)) throw new ApplicationSpecError(`duration "${text}": expected a number and a unit (ms, s, m, h), e.g. 30s or 1m30s`);
  let total = 0;
  for (const m of t.matchAll(PART)) total += Number(m[1]) * (UNIT_MS[m[2]] ?? 1);
  return total;
}

/** Checks a spec (as written) and fills in defaults; the error names the field. */
export function parseSpec(input: unknown, options: { appName: string; appNamespace: string }): ApplicationSpec {
  const copy: unknown = structuredClone(input ?? null);
  if (!validateSpec(copy)) {
    throw new ApplicationSpecError(`application ${options.appName}: ${describeErrors(validateSpec.errors)}`);
  }
  const src = copy.source;
  const source: ApplicationSource = {
    repoURL: src.repoURL,
    targetRevision: src.targetRevision ?? "HEAD",
    path: src.path ?? ".",
  };
  if (src.helm) {
    source.helm = { valueFiles: src.helm.valueFiles ?? [], values: src.helm.values, parameters: src.helm.parameters ?? [] };
  }
  const automated = copy.syncPolicy?.automated;
  const retry = copy.syncPolicy?.retry;
  return {
    source,
    ignoreDifferences: (copy.ignoreDifferences ?? []).map((d) => ({ group: d.group ?? "", kind: d.kind, name: d.name || undefined, namespace: d.namespace || undefined, jsonPointers: d.jsonPointers ?? [] })),
    destination: { namespace: copy.destination?.namespace || options.appNamespace },
    syncPolicy: {
      automated: automated ? { prune: automated.prune ?? false, selfHeal: automated.selfHeal ?? false } : undefined,
      syncOptions: copy.syncPolicy?.syncOptions ?? [],
      retry: retry ? parseRetry(retry) : undefined,
    },
    revisionHistoryLimit: copy.revisionHistoryLimit ?? DEFAULT_HISTORY_LIMIT,
    pollIntervalMs: copy.pollInterval ? parseDuration(copy.pollInterval) : DEFAULT_POLL_INTERVAL_MS,
  };
}

/** Argo CD's defaults: limit 0 (no retries), backoff 5s doubling up to 3m. */
function parseRetry(raw: NonNullable<NonNullable<RawSpec["syncPolicy"]>["retry"]>): RetryStrategy {
  const b = raw.backoff ?? {};
  return {
    limit: raw.limit ?? 0,
    backoff: {
      durationMs: parseDuration(b.duration ?? "5s"),
      factor: b.factor ?? 2,
      maxDurationMs: parseDuration(b.maxDuration ?? "3m"),
    },
  };
}

/** The status as the controller wrote it; anything unreadable starts afresh (it is recomputed). */
export function parseStatus(input: unknown): ApplicationStatus {
  const copy: unknown = structuredClone(input ?? null);
  if (isRecord(copy) && validateStatus(copy)) return copy;
  // History is the one part that cannot be recomputed: keep the readable entries.
  const fresh = emptyStatus();
  if (isRecord(input) && Array.isArray(input.history)) {
    const probe = { ...fresh, history: input.history };
    if (validateStatus(probe)) fresh.history = probe.history;
  }
  return fresh;
}

export function parseOperation(input: unknown): OperationRequest | undefined {
  if (input === undefined || input === null) return undefined;
  const copy: unknown = structuredClone(input);
  return validateOperation(copy) ? copy : undefined;
}

export function parseApplication(obj: Unstructured): Application {
  const name = obj.metadata.name ?? "";
  const namespace = obj.metadata.namespace ?? "default";
  return {
    name,
    namespace,
    uid: obj.metadata.uid ?? "",
    resourceVersion: obj.metadata.resourceVersion ?? "",
    deleting: typeof obj.metadata.deletionTimestamp === "string",
    finalizers: obj.metadata.finalizers ?? [],
    spec: parseSpec(obj.spec, { appName: name, appNamespace: namespace }),
    status: parseStatus(obj.status),
    operation: parseOperation(obj.operation),
    raw: obj,
  };
}

/** Whether the spec has a sync option, e.g. "CreateNamespace=true". */
export function hasSyncOption(spec: ApplicationSpec, option: string): boolean {
  return spec.syncPolicy.syncOptions.some((o) => o.replace(/\s+/g, "").toLowerCase() === option.toLowerCase());
}
