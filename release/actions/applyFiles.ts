// `berth apply -f FILE|DIR [--prune -l SELECTOR]`: plain manifests through the same apply
// engine as releases. --prune deletes objects that match the selector, are of a kind this
// apply touched, were applied by berth (field manager "berth") and are not in the files:
// never an object berth did not apply.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { splitDocuments } from "../../charts/manifest/index.js";
import { toManifest } from "../../charts/manifest/split.js";
import type { Values } from "../../charts/model.js";
import { NotFoundError, UsageError } from "../../core/errors.js";
import type { ActionContext } from "../context.js";
import { isRecord, refKey, refOf, type Applied, type DryRun } from "../target.js";

export interface ApplyFilesOptions {
  /** Files or folders (.yaml, .yml, .json directly inside). */
  paths: string[];
  namespace: string;
  prune?: boolean;
  /** Required with prune. */
  selector?: string;
  dryRun?: DryRun;
  forceConflicts?: boolean;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

async function manifestFiles(p: string): Promise<string[]> {
  const info = await stat(p).catch(() => undefined);
  if (!info) throw new NotFoundError(`-f ${p}: no such file or folder`);
  if (info.isFile()) return [p];
  const names = (await readdir(p)).filter((n) => MANIFEST_FILE.test(n)).sort();
  return names.map((n) => path.join(p, n));
}

export async function readManifestObjects(paths: readonly string[]): Promise<Values[]> {
  const objects: Values[] = [];
  for (const p of paths) {
    for (const file of await manifestFiles(p)) {
      for (const doc of splitDocuments(await readFile(file, "utf8"))) objects.push(toManifest(file, doc).object);
    }
  }
  return objects;
}

function ownedByBerth(obj: Values): boolean {
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  const managed = Array.isArray(metadata.managedFields) ? metadata.managedFields : [];
  return managed.some((m) => isRecord(m) && m.manager === "berth" && m.operation === "Apply");
}

export async function applyFiles(ctx: ActionContext, o: ApplyFilesOptions): Promise<Applied[]> {
  if (o.prune && !o.selector) throw new UsageError("--prune needs -l/--selector, so only objects you labelled can be deleted");
  const objects = await readManifestObjects(o.paths);
  if (objects.length === 0) throw new UsageError(`-f ${o.paths.join(", ")}: no objects found`);
  const dryRun = o.dryRun ?? "none";
  const results = await ctx.target.apply(objects, { namespace: o.namespace, dryRun, forceConflicts: o.forceConflicts });
  if (!o.prune || !o.selector) return results;
  const keep = new Set(objects.map((obj) => refKey(refOf(obj), o.namespace)));
  const kinds = new Map(objects.map((obj) => [`${String(obj.apiVersion)}/${String(obj.kind)}`, { apiVersion: String(obj.apiVersion), kind: String(obj.kind) }]));
  for (const type of kinds.values()) {
    const live = await ctx.target.list(type, { namespace: o.namespace, labelSelector: o.selector });
    const doomed = live.filter((obj) => ownedByBerth(obj) && !keep.has(refKey(refOf(obj), o.namespace))).map(refOf);
    const deleted = dryRun === "none" ? await ctx.target.delete(doomed, { namespace: o.namespace }) : doomed;
    results.push(...deleted.map((ref) => ({ ref, action: "pruned" as const })));
  }
  return results;
}
