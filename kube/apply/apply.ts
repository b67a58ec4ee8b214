// The apply engine: server-side apply of a set of objects in install order, one result per
// object. Used by install / upgrade / rollback / `berth apply` and the GitOps sync.
//   - An object whose desired fields already are live and owned by our manager is not written
//     at all (a no-op upgrade makes no API writes).
//   - CRDs are waited for until Established before the custom resources after them.
//   - A conflict with another field manager stops the run with a FieldConflictError naming
//     field and manager, unless `force` takes the fields over.
//   - dryRun "server" sends every apply with dryRun=All; "client" sends no writes at all.
import { isDeepStrictEqual } from "node:util";
import { realClock, type Clock } from "../../core/clock.js";
import { KubeError, NotFoundError } from "../../core/errors.js";
import type { KubeClient } from "../client/client.js";
import { isRecord, refOf, type KubeObject, type ObjectRef, type Unstructured } from "../client/objects.js";
import { apiStatusOf } from "../client/errors.js";
import { fieldConflictOf } from "./conflicts.js";
import { diffObjects, stripServerFields } from "./diff.js";
import { applyIsNoop } from "./fieldSet.js";
import { installOrder } from "./order.js";

export type ApplyAction = "created" | "configured" | "unchanged" | "pruned";

export interface ApplyResult {
  /** The object, namespace resolved. */
  ref: ObjectRef;
  action: ApplyAction;
  /** The object as the server returned it (absent for client dry runs and prunes). */
  object?: Unstructured;
  /** Unified diff live -> result, when asked for. */
  diff?: string;
  message?: string;
}

export interface ApplyManifestsOptions {
  client: KubeClient;
  /** Default "berth". */
  fieldManager?: string;
  /** Take fields other managers own instead of failing. */
  force?: boolean;
  dryRun?: "client" | "server";
  /** Namespace for namespaced objects that name none (default: the client's). */
  namespace?: string;
  /** Put a diff in each result. */
  diff?: boolean;
  color?: boolean;
  clock?: Clock;
  /** How long to wait for a CRD to be Established (default 60 s). */
  crdTimeoutMs?: number;
  /** Called as each object is done, e.g. to print progress. */
  onResult?: (result: ApplyResult) => void;
}

/** What a dry run pretends exists: CRDs (group kinds) and namespaces of this batch. */
interface DryRunWorld {
  crdKinds: Set<string>;
  namespaces: Set<string>;
}

export async function applyManifests(objects: readonly KubeObject[], options: ApplyManifestsOptions): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  const world: DryRunWorld = {
    crdKinds: new Set(objects.filter(isCrd).map(crdGroupKind)),
    namespaces: new Set(objects.filter((o) => o.kind === "Namespace" && o.apiVersion === "v1").map((o) => o.metadata?.name ?? "")),
  };
  for (const obj of installOrder(objects)) {
    const result = await applyOne(obj, options, world);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

async function applyOne(obj: KubeObject, options: ApplyManifestsOptions, world: DryRunWorld): Promise<ApplyResult> {
  const { client } = options;
  const manager = options.fieldManager ?? "berth";
  const resolved = await resolve(obj, options, world.crdKinds);
  if ("pendingCrd" in resolved) return resolved.pendingCrd;
  const { desired, ref } = resolved;
  const live = await client.tryGet(ref);
  if (live && applyIsNoop(desired, live, manager)) return { ref, action: "unchanged", object: live, ...(options.diff ? { diff: "" } : {}) };
  if (options.dryRun === "client") {
    return { ref, action: live ? "configured" : "created", ...(options.diff ? { diff: diffObjects(live, desired, diffOpts(ref, options)) } : {}) };
  }
  let applied: Unstructured;
  try {
    applied = await client.apply(desired, { fieldManager: manager, force: options.force, dryRun: options.dryRun === "server" });
  } catch (err) {
    // A dry run cannot create the namespace an object of the same batch goes into.
    if (options.dryRun === "server" && !live && ref.namespace && world.namespaces.has(ref.namespace) && apiStatusOf(err)?.code === 404) {
      return { ref, action: "created", message: `its namespace ${ref.namespace} is created by this apply (dry run)` };
    }
    throw fieldConflictOf(err, ref) ?? err;
  }
  const action: ApplyAction = !live ? "created" : sameObject(live, applied) ? "unchanged" : "configured";
  if (isCrd(applied) && options.dryRun === undefined) await waitEstablished(applied, options);
  return { ref, action, object: applied, ...(options.diff ? { diff: diffObjects(live, applied, diffOpts(ref, options)) } : {}) };
}

type Resolved = { desired: Unstructured; ref: ObjectRef } | { pendingCrd: ApplyResult };

/** Validates type meta, resolves the namespace; in dry runs, CRs of CRDs in the same batch pass. */
async function resolve(obj: KubeObject, options: ApplyManifestsOptions, crdKinds: Set<string>): Promise<Resolved> {
  const ref = refOf(obj);
  if (!ref.apiVersion || !ref.kind || !ref.name) {
    throw new KubeError(`apply: every object needs apiVersion, kind and metadata.name; got ${JSON.stringify({ apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name })}`);
  }
  let namespaced: boolean;
  try {
    namespaced = (await options.client.mapper.mapping(ref)).namespaced;
  } catch (err) {
    const group = ref.apiVersion.includes("/") ? ref.apiVersion.split("/")[0] : "";
    if (err instanceof NotFoundError && options.dryRun && crdKinds.has(`${ref.kind}.${group}`)) {
      return { pendingCrd: { ref, action: "created", message: "its CustomResourceDefinition is not installed yet (dry run)" } };
    }
    throw err;
  }
  const namespace = namespaced ? ref.namespace || options.namespace || options.client.namespace : undefined;
  const metadata = { ...(isRecord(obj.metadata) ? obj.metadata : {}), namespace };
  if (!namespace) delete metadata.namespace;
  const desired: Unstructured = { ...obj, apiVersion: ref.apiVersion, kind: ref.kind, metadata };
  return { desired, ref: { ...ref, namespace } };
}

function diffOpts(ref: ObjectRef, options: ApplyManifestsOptions) {
  return { color: options.color, label: `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}` };
}

function sameObject(live: Unstructured, applied: Unstructured): boolean {
  if (live.metadata.resourceVersion && live.metadata.resourceVersion === applied.metadata.resourceVersion) return true;
  return isDeepStrictEqual(stripServerFields(live), stripServerFields(applied));
}

function isCrd(obj: KubeObject): boolean {
  return obj.kind === "CustomResourceDefinition" && (obj.apiVersion ?? "").startsWith("apiextensions.k8s.io/");
}

function crdGroupKind(obj: KubeObject): string {
  const spec = isRecord(obj) && isRecord(obj.spec) ? obj.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  return `${String(names.kind)}.${String(spec.group)}`;
}

async function waitEstablished(crd: Unstructured, options: ApplyManifestsOptions): Promise<void> {
  const clock = options.clock ?? realClock;
  const deadline = clock.now() + (options.crdTimeoutMs ?? 60_000);
  const ref = refOf(crd);
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const live = await options.client.tryGet(ref);
    if (live && hasCondition(live, "Established")) return;
    if (clock.now() >= deadline) throw new KubeError(`CustomResourceDefinition ${ref.name} is not Established after ${options.crdTimeoutMs ?? 60_000} ms`);
    await new Promise<void>((r) => clock.setTimeout(r, delay));
  }
}

export function hasCondition(obj: Unstructured, type: string, status = "True"): boolean {
  const conditions = isRecord(obj.status) && Array.isArray(obj.status.conditions) ? obj.status.conditions : [];
  return conditions.some((c) => isRecord(c) && c.type === type && c.status === status);
}

export interface PlanDiffOptions {
  client: KubeClient;
  fieldManager?: string;
  namespace?: string;
  color?: boolean;
}

/**
 * What applying desired would change: live versus a server-side dry-run apply of desired
 * (forced, so conflicts do not hide the preview), so server defaults do not show as changes.
 */
export async function planDiff(desired: KubeObject, options: PlanDiffOptions): Promise<{ ref: ObjectRef; diff: string }> {
  const resolved = await resolve(desired, { client: options.client, namespace: options.namespace }, new Set());
  if ("pendingCrd" in resolved) return { ref: resolved.pendingCrd.ref, diff: "" };
  const live = await options.client.tryGet(resolved.ref);
  const merged = await options.client.apply(resolved.desired, { fieldManager: options.fieldManager ?? "berth", force: true, dryRun: true });
  return { ref: resolved.ref, diff: diffObjects(live, merged, { color: options.color, label: diffOpts(resolved.ref, { client: options.client }).label }) };
}
