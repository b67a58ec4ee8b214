// What release actions need from a cluster: a narrow port, filled by kubeTarget.ts over kube/
// (client, apply engine, wait), so actions read as the steps they take.
import type { Values } from "../charts/model.js";
import type { SecretsApi } from "./storage/index.js";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Undefined for cluster-scoped objects, or when the default namespace applies. */
  namespace?: string;
}

export type DryRun = "none" | "client" | "server";

export interface ApplyOptions {
  /** Namespace for namespaced objects that name none. */
  namespace: string;
  dryRun?: DryRun;
  forceConflicts?: boolean;
}

export interface WaitOptions {
  namespace: string;
  timeoutMs: number;
}

export interface Applied {
  ref: ObjectRef;
  action: "created" | "configured" | "unchanged" | "pruned";
  object?: Values;
}

export type HookOutcome = { phase: "Succeeded" } | { phase: "Failed"; message: string };

export interface ReleaseTarget {
  readonly secrets: SecretsApi;
  /** Where the target is, for messages ("https://127.0.0.1:6443"). */
  readonly server: string;
  ensureNamespace(name: string): Promise<void>;
  /** Server-side applies the objects (install order); says per object what happened. */
  apply(objects: readonly Values[], options: ApplyOptions): Promise<Applied[]>;
  /** Objects of one kind matching a label selector, in one namespace (or cluster-wide kinds). */
  list(type: { apiVersion: string; kind: string }, options: { namespace: string; labelSelector: string }): Promise<Values[]>;
  /** Deletes the objects that exist (in the order given); returns those deleted. */
  delete(refs: readonly ObjectRef[], options: { namespace: string }): Promise<ObjectRef[]>;
  get(ref: ObjectRef, options: { namespace: string }): Promise<Values | undefined>;
  /** Waits until every object is healthy; throws naming what is still pending at the timeout. */
  waitReady(refs: readonly ObjectRef[], options: WaitOptions): Promise<void>;
  /** Waits for a hook Job / Pod to finish; other kinds succeed once created. */
  waitHook(ref: ObjectRef, options: WaitOptions): Promise<HookOutcome>;
  /** Unified diffs of what applying `objects` and deleting `removed` would change (live vs server dry run). */
  diff(objects: readonly Values[], removed: readonly ObjectRef[], options: { namespace: string; color: boolean }): Promise<string[]>;
  /** Logs of a Pod's containers (for `berth test --logs`); empty when unavailable. */
  podLogs(ref: ObjectRef, options: { namespace: string }): Promise<string>;
}

export function refOf(object: Values): ObjectRef {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : undefined;
  return {
    apiVersion: String(object.apiVersion ?? ""),
    kind: String(object.kind ?? ""),
    name: String(metadata.name ?? ""),
    ...(namespace ? { namespace } : {}),
  };
}

export function refText(ref: ObjectRef): string {
  return `${ref.kind}/${ref.name}`;
}

/** Identity across revisions: group (not version), kind, namespace, name. */
export function refKey(ref: ObjectRef, defaultNamespace: string): string {
  const group = ref.apiVersion.includes("/") ? ref.apiVersion.split("/")[0] : "";
  return `${group}/${ref.kind}/${ref.namespace ?? defaultNamespace}/${ref.name}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
