// The actions behind `berth app …`: each reads or writes the Application object only — the
// controller does the work (a sync is an `operation` request it takes over), so the CLI and
// the controller can run on different machines.
import { randomUUID } from "node:crypto";
import { NotFoundError, UsageError } from "../../core/errors.js";
import type { KubeClient, Unstructured } from "../../kube/client/index.js";
import { ensureApplicationCrd } from "../application/crd.js";
import { parseApplication, parseSpec } from "../application/parse.js";
import { API_VERSION, KIND, RESOURCES_FINALIZER, type Application, type HistoryEntry, type OperationRequest } from "../application/types.js";
import type { RawSpec } from "../application/schema.js";

export interface AppTarget {
  client: KubeClient;
  /** The Application's namespace (default the client's). */
  namespace?: string;
}

export interface CreateAppOptions extends AppTarget {
  name: string;
  repoURL: string;
  path?: string;
  revision?: string;
  destNamespace?: string;
  /** Values files, paths in the repository relative to path. */
  valueFiles?: string[];
  autoSync?: boolean;
  prune?: boolean;
  selfHeal?: boolean;
  createNamespace?: boolean;
  pollInterval?: string;
}

function ref(target: AppTarget, name: string) {
  return { apiVersion: API_VERSION, kind: KIND, name, namespace: target.namespace ?? target.client.namespace };
}

export async function createApp(options: CreateAppOptions): Promise<Application> {
  const namespace = options.namespace ?? options.client.namespace;
  const spec: RawSpec = {
    source: { repoURL: options.repoURL, targetRevision: options.revision ?? "HEAD", path: options.path ?? "." },
    destination: { namespace: options.destNamespace ?? namespace },
  };
  if (options.valueFiles?.length) spec.source.helm = { valueFiles: options.valueFiles };
  if (options.autoSync) spec.syncPolicy = { automated: { prune: Boolean(options.prune), selfHeal: Boolean(options.selfHeal) } };
  else if (options.prune || options.selfHeal) throw new UsageError("--prune and --self-heal need --auto-sync");
  if (options.createNamespace) spec.syncPolicy = { ...spec.syncPolicy, syncOptions: ["CreateNamespace=true"] };
  if (options.pollInterval) spec.pollInterval = options.pollInterval;
  // Same checks the controller makes, so a bad flag fails here with the field named.
  parseSpec(spec, { appName: options.name, appNamespace: namespace });
  await ensureApplicationCrd(options.client);
  const created = await options.client.create({ apiVersion: API_VERSION, kind: KIND, metadata: { name: options.name, namespace }, spec });
  return parseApplication(created);
}

export async function getApp(target: AppTarget, name: string): Promise<Application> {
  const obj = await target.client.tryGet(ref(target, name)).catch((err: unknown) => {
    // No CRD yet means no apps yet.
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
  if (!obj) throw new NotFoundError(`application "${name}" not found in namespace ${target.namespace ?? target.client.namespace}`);
  return parseApplication(obj);
}

export async function listApps(target: AppTarget & { allNamespaces?: boolean }): Promise<Application[]> {
  let items: Unstructured[];
  try {
    items = (await target.client.list({ apiVersion: API_VERSION, kind: KIND }, { namespace: target.namespace, allNamespaces: target.allNamespaces })).items;
  } catch (err) {
    if (err instanceof NotFoundError) return [];
    throw err;
  }
  const apps: Application[] = [];
  for (const item of items) {
    try {
      apps.push(parseApplication(item));
    } catch {
      // An app with a broken spec still lists in kubectl; here it is skipped.
    }
  }
  return apps.sort((a, b) => a.name.localeCompare(b.name));
}

export interface SyncRequestOptions extends AppTarget {
  revision?: string;
  prune?: boolean;
  username?: string;
}

/** Asks the controller to sync (Argo CD's `operation`); returns the operation id to wait for. */
export async function requestSync(name: string, options: SyncRequestOptions): Promise<string> {
  const app = await getApp(options, name);
  const request: OperationRequest = { id: randomUUID(), sync: {}, initiatedBy: { username: options.username ?? "cli" } };
  if (options.revision) request.sync.revision = options.revision;
  if (options.prune !== undefined) request.sync.prune = options.prune;
  await options.client.patch(ref(options, app.name), { operation: request }, { type: "merge" });
  return request.id;
}

export interface RollbackResult {
  operationId: string;
  entry: HistoryEntry;
  /** Automated sync was on and has been turned off. */
  autoSyncDisabled: boolean;
}

/** Syncs the commit of history entry `id` (default: the one before the current) and turns automated sync off. */
export async function rollbackApp(name: string, options: AppTarget & { id?: number }): Promise<RollbackResult> {
  const app = await getApp(options, name);
  const history = app.status.history;
  const entry = options.id === undefined ? history.at(-2) : history.find((h) => h.id === options.id);
  if (!entry) {
    const ids = history.map((h) => h.id).join(", ") || "none";
    throw new UsageError(
      options.id === undefined ? `application ${name}: no earlier deployment to roll back to (history ids: ${ids})` : `application ${name}: no history entry ${options.id} (history ids: ${ids})`,
    );
  }
  const request: OperationRequest = { id: randomUUID(), sync: { revision: entry.revision, source: entry.source }, initiatedBy: { username: "cli" } };
  // One patch: automated sync off and the request together, so no poll can undo the rollback in between.
  await options.client.patch(ref(options, name), { spec: { syncPolicy: { automated: null } }, operation: request }, { type: "merge" });
  return { operationId: request.id, entry, autoSyncDisabled: app.spec.syncPolicy.automated !== undefined };
}

/** Deletes the app; with cascade, the finalizer makes the controller delete its objects first. */
export async function deleteApp(name: string, options: AppTarget & { cascade: boolean }): Promise<void> {
  const app = await getApp(options, name);
  const others = app.finalizers.filter((f) => f !== RESOURCES_FINALIZER);
  const finalizers = options.cascade ? [...others, RESOURCES_FINALIZER] : others;
  await options.client.patch(ref(options, name), { metadata: { finalizers } }, { type: "merge" });
  await options.client.delete(ref(options, name));
}

/** Wakes the controller for this app (any annotation change is a user change). */
export async function touchApp(name: string, options: AppTarget): Promise<void> {
  await options.client.patch(ref(options, name), { metadata: { annotations: { "app.berth.dev/refresh": new Date().toISOString() } } }, { type: "merge" });
}
