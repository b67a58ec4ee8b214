// One object a commit declares, with what the sync needs to order it: its wave and, for
// hooks, when it runs and when it is deleted. Both berth's annotations (Argo CD's vocabulary)
// and Helm's hook annotations are understood, so Helm charts sync unchanged.
import { TemplateError } from "../../core/errors.js";
import type { Unstructured } from "../../kube/client/index.js";
import { HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION, SYNC_WAVE_ANNOTATION, type HookType } from "../application/types.js";

export type DeletePolicy = "BeforeHookCreation" | "HookSucceeded" | "HookFailed";

export interface HookSpec {
  types: HookType[];
  deletePolicies: DeletePolicy[];
}

export interface DesiredResource {
  /** The object as rendered; callers clone before changing it (renders are cached). */
  object: Unstructured;
  /** File it came from, for messages. */
  source: string;
  wave: number;
  hook?: HookSpec;
}

/** Argo CD's own annotations work unchanged (berth's win when both are set). */
const ARGO_HOOK = "argocd.argoproj.io/hook";
const ARGO_HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy";

const HOOK_TYPES: Record<string, HookType> = { presync: "PreSync", sync: "Sync", postsync: "PostSync", syncfail: "SyncFail" };
const HELM_HOOKS: Record<string, HookType> = { "pre-install": "PreSync", "pre-upgrade": "PreSync", "post-install": "PostSync", "post-upgrade": "PostSync" };
const POLICIES: Record<string, DeletePolicy> = {
  beforehookcreation: "BeforeHookCreation",
  hooksucceeded: "HookSucceeded",
  hookfailed: "HookFailed",
};

function items(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** The hook an object declares; "skip" for Helm hooks that have no sync phase (test, delete…). */
export function hookOf(annotations: Record<string, string>, source: string): HookSpec | "skip" | undefined {
  const own = annotations[HOOK_ANNOTATION] ?? annotations[ARGO_HOOK];
  const helm = annotations["helm.sh/hook"];
  if (own === undefined && helm === undefined) return undefined;
  const types: HookType[] = [];
  if (own !== undefined) {
    for (const name of items(own)) {
      const type = HOOK_TYPES[name.toLowerCase()];
      if (!type) throw new TemplateError(`${source}: ${HOOK_ANNOTATION}: "${name}" is not one of PreSync, Sync, PostSync, SyncFail`);
      if (!types.includes(type)) types.push(type);
    }
  } else {
    for (const name of items(helm)) {
      const type = HELM_HOOKS[name.toLowerCase()];
      if (type && !types.includes(type)) types.push(type);
    }
    if (types.length === 0) return "skip";
  }
  const policyText = annotations[HOOK_DELETE_POLICY_ANNOTATION] ?? annotations[ARGO_HOOK_DELETE_POLICY] ?? annotations["helm.sh/hook-delete-policy"];
  const deletePolicies: DeletePolicy[] = [];
  for (const name of items(policyText)) {
    const policy = POLICIES[name.toLowerCase().replace(/-/g, "")];
    if (policy && !deletePolicies.includes(policy)) deletePolicies.push(policy);
  }
  if (deletePolicies.length === 0) deletePolicies.push("BeforeHookCreation");
  return { types, deletePolicies };
}

/** `berth.dev/sync-wave` (default 0); anything but an integer is an error naming the file. */
export function waveOf(annotations: Record<string, string>, source: string): number {
  const text = annotations[SYNC_WAVE_ANNOTATION] ?? annotations["argocd.argoproj.io/sync-wave"];
  if (text === undefined) return 0;
  if (!/^[-+]?\d+$/.test(text.trim())) throw new TemplateError(`${source}: ${SYNC_WAVE_ANNOTATION}: expected an integer, got "${text}"`);
  return Number(text.trim());
}
