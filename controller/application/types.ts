// The Application resource (berth.dev/v1alpha1): what an app declares (spec), what the
// controller last saw and did (status), and the operation a user asks for (`operation`, Argo
// CD's field: set by `berth app sync`, taken over by the controller into status.operationState).
import type { Unstructured } from "../../kube/client/index.js";

export const GROUP = "berth.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = "Application";
export const PLURAL = "applications";

/** Label on every object an app applies; its value is the app's name. */
export const INSTANCE_LABEL = "app.berth.dev/instance";
/** Annotation `APPNAMESPACE/APPNAME` on every object an app applies. */
export const OWNER_ANNOTATION = "app.berth.dev/owner";
/** Annotation with the Application's uid: nothing without a matching one is ever pruned. */
export const OWNER_UID_ANNOTATION = "app.berth.dev/owner-uid";
/** On a hook object: the operation that created it, so a restarted step does not run it twice. */
export const OPERATION_ANNOTATION = "app.berth.dev/operation";
/** On a hook declared with only generateName: that generateName (finds earlier instances). */
export const HOOK_GENERATE_NAME_ANNOTATION = "app.berth.dev/hook-generate-name";
/** On the Application: the id of a running operation the user wants stopped (`app terminate-op`). */
export const TERMINATE_ANNOTATION = "app.berth.dev/terminate-operation";
export const SYNC_WAVE_ANNOTATION = "berth.dev/sync-wave";
export const HOOK_ANNOTATION = "berth.dev/hook";
export const HOOK_DELETE_POLICY_ANNOTATION = "berth.dev/hook-delete-policy";
/** `berth.dev/sync-options: Prune=false` keeps an object when its template goes away. */
export const SYNC_OPTIONS_ANNOTATION = "berth.dev/sync-options";
/** A finalizer that makes deleting the Application delete what it deployed first. */
export const RESOURCES_FINALIZER = "resources-finalizer.berth.dev";

export const DEFAULT_HISTORY_LIMIT = 10;
export const DEFAULT_POLL_INTERVAL_MS = 180_000;

export interface HelmSource {
  /** Values files, relative to the source path. */
  valueFiles: string[];
  /** Inline values YAML. */
  values?: string;
  parameters: { name: string; value: string }[];
}

export interface ApplicationSource {
  repoURL: string;
  targetRevision: string;
  path: string;
  helm?: HelmSource;
}

/** Argo CD's syncPolicy.retry: a failed operation starts again after a growing pause. */
export interface RetryStrategy {
  /** Retries after the first attempt; negative: no limit. */
  limit: number;
  backoff: { durationMs: number; factor: number; maxDurationMs: number };
}

export interface SyncPolicy {
  automated?: { prune: boolean; selfHeal: boolean };
  syncOptions: string[];
  retry?: RetryStrategy;
}

/** Fields compare leaves out for matching objects (Argo CD's spec.ignoreDifferences). */
export interface IgnoreDifference {
  group: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers: string[];
}

export interface ApplicationSpec {
  source: ApplicationSource;
  ignoreDifferences: IgnoreDifference[];
  destination: { namespace: string };
  syncPolicy: SyncPolicy;
  revisionHistoryLimit: number;
  /** Fallback poll interval in ms (change hints usually arrive sooner). */
  pollIntervalMs: number;
}

export type SyncStatusCode = "Synced" | "OutOfSync" | "Unknown";
export type HealthStatusCode = "Healthy" | "Progressing" | "Degraded" | "Missing" | "Suspended" | "Unknown";
export type OperationPhase = "Running" | "Succeeded" | "Failed" | "Error";
export type HookType = "PreSync" | "Sync" | "PostSync" | "SyncFail";

export interface ResourceStatus {
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  status: SyncStatusCode;
  health?: HealthStatusCode;
  message?: string;
  hookPhase?: string;
  /** Hook type, for hook resources. */
  hookType?: HookType;
  /** Set once the step machine applied it in the running operation. */
  syncPhase?: string;
}

export interface HistoryEntry {
  id: number;
  revision: string;
  message: string;
  author: string;
  deployedAt: string;
  deployedBy: "automated" | "user";
  source: ApplicationSource;
}

export interface Condition {
  type: string;
  message: string;
  lastTransitionTime: string;
}

export interface OperationState {
  /** Identifies the operation (hooks it created carry it). */
  id: string;
  phase: OperationPhase;
  message: string;
  startedAt: string;
  finishedAt?: string;
  initiatedBy: "automated" | "user";
  /** When set, the operation deploys this source instead of spec.source (rollback). */
  source?: ApplicationSource;
  /** Index of the step the machine is at; steps are recomputed from the revision's render. */
  step: number;
  /** Whether the current step's objects were applied already. */
  stepApplied: boolean;
  prune: boolean;
  syncResult: { revision: string; resources: ResourceStatus[] };
  /** The retry strategy it was started with (copied, so editing the spec does not change it). */
  retry?: RetryStrategy;
  /** Failed attempts retried so far. */
  retryCount?: number;
  /** When the current attempt started (the sync timeout counts from here); default startedAt. */
  attemptStartedAt?: string;
  /** A retry waits until then before applying anything. */
  nextAttemptAt?: string;
}

export interface ApplicationStatus {
  sync: { status: SyncStatusCode; revision?: string };
  health: { status: HealthStatusCode; message?: string };
  resources: ResourceStatus[];
  operationState?: OperationState;
  conditions: Condition[];
  history: HistoryEntry[];
  /** Last time the controller compared. */
  reconciledAt?: string;
}

/** What `berth app sync` / `rollback` asks for. */
export interface OperationRequest {
  /** Chosen by the requester; becomes status.operationState.id. */
  id: string;
  sync: { revision?: string; prune?: boolean; source?: ApplicationSource };
  initiatedBy: { username?: string; automated?: boolean };
}

export interface Application {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  deleting: boolean;
  finalizers: string[];
  spec: ApplicationSpec;
  status: ApplicationStatus;
  operation?: OperationRequest;
  /** The object as read. */
  raw: Unstructured;
}

export function appKey(app: { namespace: string; name: string }): string {
  return `${app.namespace}/${app.name}`;
}

export function emptyStatus(): ApplicationStatus {
  return { sync: { status: "Unknown" }, health: { status: "Unknown" }, resources: [], conditions: [], history: [] };
}
