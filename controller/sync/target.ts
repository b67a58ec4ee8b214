// From an app's source to what the cluster should hold: resolve the revision (one fetch per
// repository burst, deduped by the GitSource), render it (cached), and prepare each object as
// the app's (owner label and annotations, namespace resolved against discovery).
import { isDeepStrictEqual } from "node:util";
import { NotFoundError } from "../../core/errors.js";
import { refOf, splitApiVersion, type TypeRef, type Unstructured } from "../../kube/client/index.js";
import { hasSyncOption } from "../application/parse.js";
import { emptyStatus, type Application, type ApplicationSource, type ApplicationStatus, type ResourceStatus } from "../application/types.js";
import type { ControllerContext } from "../context.js";
import type { CommitInfo } from "../git/types.js";
import type { DesiredResource } from "../source/resource.js";
import { withOwner, type Owner } from "./resources.js";

export async function resolveRevision(ctx: ControllerContext, source: ApplicationSource): Promise<CommitInfo> {
  const end = ctx.metrics.gitFetch.startTimer();
  try {
    const info = await ctx.git.resolve(source.repoURL, source.targetRevision);
    end({ result: "ok" });
    return info;
  } catch (err) {
    end({ result: "error" });
    throw err;
  }
}

export function renderAt(ctx: ControllerContext, app: Application, source: ApplicationSource, commit: string): Promise<DesiredResource[]> {
  const key = { commit, sourcePath: source.path, helm: source.helm, releaseName: app.name, namespace: app.spec.destination.namespace };
  return ctx.renders.get(key, () =>
    ctx.git.checkout(source.repoURL, commit).catch((err: unknown) => {
      ctx.renders.forget(key);
      throw err;
    }),
  );
}

export function ownerOf(app: Application): Owner {
  return { name: app.name, namespace: app.namespace, uid: app.uid };
}

/** The object as the app applies it: owned, and in the destination namespace when namespaced. */
export async function prepare(ctx: ControllerContext, app: Application, obj: Unstructured, operation?: string): Promise<Unstructured> {
  const owned = withOwner(obj, ownerOf(app), { operation });
  let namespaced = true;
  try {
    namespaced = (await ctx.client.mapper.mapping(refOf(obj))).namespaced;
  } catch (err) {
    // A custom kind whose CRD this same sync installs: namespaced unless it names none.
    if (!(err instanceof NotFoundError)) throw err;
  }
  if (namespaced) owned.metadata.namespace = owned.metadata.namespace || app.spec.destination.namespace;
  else delete owned.metadata.namespace;
  return owned;
}

export function typesOf(objects: readonly { apiVersion: string; kind: string }[], resources: readonly ResourceStatus[] = []): TypeRef[] {
  const out = new Map<string, TypeRef>();
  for (const o of objects) out.set(`${splitApiVersion(o.apiVersion).group}|${o.kind}`, { apiVersion: o.apiVersion, kind: o.kind });
  for (const r of resources) {
    const key = `${r.group}|${r.kind}`;
    if (!out.has(key)) out.set(key, { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind });
  }
  return [...out.values()];
}

/** Ensures the informers of these kinds run; kinds the server does not serve are skipped. */
export async function watchKinds(ctx: ControllerContext, types: readonly TypeRef[]): Promise<void> {
  await Promise.all(types.map((t) => ctx.live.ensure([t]).catch(() => undefined)));
}

export async function createNamespaceIfAsked(ctx: ControllerContext, app: Application): Promise<void> {
  if (!hasSyncOption(app.spec, "CreateNamespace=true")) return;
  const name = app.spec.destination.namespace;
  if (await ctx.client.tryGet({ apiVersion: "v1", kind: "Namespace", name })) return;
  await ctx.client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name } }, { fieldManager: "berth-controller" });
}

/**
 * Writes status when it changed (never on an unchanged compare: every write wakes the app's
 * informer, which would reconcile again). PUT with resourceVersion: a concurrent edit makes it
 * fail and the queue retries from a fresh read.
 */
export async function writeStatus(ctx: ControllerContext, app: Application, status: ApplicationStatus): Promise<Application> {
  if (isDeepStrictEqual(status, app.status)) return app;
  const body: Unstructured = { ...app.raw, status };
  const updated = await ctx.client.updateStatus(body);
  return { ...app, raw: updated, resourceVersion: updated.metadata.resourceVersion ?? "", status: structuredClone(status) };
}

export function cloneStatus(app: Application): ApplicationStatus {
  return structuredClone(app.status ?? emptyStatus());
}
