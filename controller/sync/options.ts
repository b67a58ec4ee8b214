// Sync options (Argo CD's vocabulary), on the app (spec.syncPolicy.syncOptions) or on one
// resource (`berth.dev/sync-options` or `argocd.argoproj.io/sync-options`, comma-separated;
// the resource's wins). What berth does with each:
//   CreateNamespace=true            create the destination namespace before the first wave
//   Prune=false (resource)          never prune it; its leftover does not make the app OutOfSync
//   PruneLast=true                  accepted: berth always prunes after the last wave
//   ServerSideApply=true            accepted: berth always applies server-side
//   Replace=true                    PUT the whole object (create if missing) instead of apply
//   RespectIgnoreDifferences=true   leave spec.ignoreDifferences' fields out of what is applied
// Compare options (`argocd.argoproj.io/compare-options` / `berth.dev/compare-options`):
//   IgnoreExtraneous                an object the app owns but git no longer declares does not
//                                   make the app OutOfSync (it is still pruned when prune is on)
import type { Unstructured } from "../../kube/client/index.js";
import { SYNC_OPTIONS_ANNOTATION, type ApplicationSpec } from "../application/types.js";

const COMPARE_OPTIONS_ANNOTATIONS = ["berth.dev/compare-options", "argocd.argoproj.io/compare-options"];

function items(text: string | undefined): string[] {
  return (text ?? "").split(",").map((o) => o.replace(/\s+/g, "")).filter((o) => o !== "");
}

/** `Name=value` options of one resource, keys lower-cased. */
export function resourceOptions(obj: Unstructured): Map<string, string> {
  const a = obj.metadata.annotations ?? {};
  const out = new Map<string, string>();
  for (const item of [...items(a["argocd.argoproj.io/sync-options"]), ...items(a[SYNC_OPTIONS_ANNOTATION])]) {
    const eq = item.indexOf("=");
    if (eq > 0) out.set(item.slice(0, eq).toLowerCase(), item.slice(eq + 1).toLowerCase());
  }
  return out;
}

function appOption(spec: ApplicationSpec, name: string): string | undefined {
  let value: string | undefined;
  for (const o of spec.syncPolicy.syncOptions) {
    const [k, v] = o.replace(/\s+/g, "").split("=", 2);
    if (k.toLowerCase() === name.toLowerCase()) value = (v ?? "").toLowerCase();
  }
  return value;
}

/** Whether `Name=true` holds for this resource in this app (the resource's own option wins). */
export function optionOn(spec: ApplicationSpec, obj: Unstructured | undefined, name: string): boolean {
  const own = obj ? resourceOptions(obj).get(name.toLowerCase()) : undefined;
  return (own ?? appOption(spec, name)) === "true";
}

export function ignoresExtraneous(obj: Unstructured): boolean {
  const a = obj.metadata.annotations ?? {};
  return COMPARE_OPTIONS_ANNOTATIONS.some((k) => items(a[k]).some((o) => o.toLowerCase() === "ignoreextraneous"));
}
