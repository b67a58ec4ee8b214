// Between rendered charts and release records: the stored manifest text (Helm's layout, each
// document after `# Source:`), the stored hooks, and back to objects for apply and prune.
import { formatManifests, sortHooks, splitDocuments, type HookManifest, type Manifest } from "../charts/manifest/index.js";
import { toManifest } from "../charts/manifest/split.js";
import type { Values } from "../charts/model.js";
import type { ReleaseHook } from "./model.js";
import type { ObjectRef } from "./target.js";

export function manifestText(manifests: readonly Manifest[]): string {
  return formatManifests(manifests);
}

const SOURCE = /^# Source: (.+)$/m;

/** The stored manifest back as Manifests, in stored (install) order. */
export function parseManifestText(text: string): Manifest[] {
  return splitDocuments(text).map((doc) => {
    const source = SOURCE.exec(doc.text)?.[1]?.trim() ?? "manifest";
    return toManifest(source, doc);
  });
}

export function storeHooks(hooks: readonly HookManifest[]): ReleaseHook[] {
  return sortHooks(hooks).map((h) => ({
    name: h.name,
    kind: h.kind,
    apiVersion: h.apiVersion,
    path: h.source,
    manifest: h.content,
    events: h.hook.events,
    weight: h.hook.weight,
    deletePolicies: h.hook.deletePolicies,
    lastRun: { phase: "Unknown" },
  }));
}

export function hookObject(hook: ReleaseHook): Values {
  const [doc] = splitDocuments(hook.manifest);
  return doc ? toManifest(hook.path, doc).object : {};
}

export function hookRef(hook: ReleaseHook): ObjectRef {
  const object = hookObject(hook);
  const metadata = object.metadata;
  const namespace =
    typeof metadata === "object" && metadata !== null && "namespace" in metadata && typeof metadata.namespace === "string"
      ? metadata.namespace
      : undefined;
  return { apiVersion: hook.apiVersion, kind: hook.kind, name: hook.name, ...(namespace ? { namespace } : {}) };
}
