// One Kubernetes object rendered by a chart, with where it came from.
import type { Values } from "../model.js";

/** Helm's hook events; "test-success" is Helm 2's name for "test". */
export const HOOK_EVENTS = [
  "pre-install",
  "post-install",
  "pre-delete",
  "post-delete",
  "pre-upgrade",
  "post-upgrade",
  "pre-rollback",
  "post-rollback",
  "test",
] as const;

export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface HookInfo {
  /** Known events in the order written; unknown names are ignored, as Helm does. */
  events: HookEvent[];
  /** `hook-weight`; 0 when absent or not an integer (Helm's behaviour). */
  weight: number;
  /** `hook-delete-policy` entries, e.g. "before-hook-creation", "hook-succeeded". */
  deletePolicies: string[];
}

export interface Manifest {
  /** The template name that produced it, e.g. "mychart/templates/service.yaml". */
  source: string;
  /** The document's text, trimmed. */
  content: string;
  /** The parsed document. */
  object: Values;
  apiVersion: string;
  kind: string;
  /** metadata.name (or metadata.generateName when only that is set). */
  name: string;
  namespace?: string;
  /** Set on documents annotated helm.sh/hook or berth.dev/hook. */
  hook?: HookInfo;
}

export type HookManifest = Manifest & { hook: HookInfo };

export interface SplitResult {
  manifests: Manifest[];
  hooks: HookManifest[];
  /** The top chart's rendered NOTES.txt, when it has one. */
  notes?: string;
}
