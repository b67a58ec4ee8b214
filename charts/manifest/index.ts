// Manifests: rendered templates split into Kubernetes objects, ordered for install.
export { splitManifests, splitDocuments } from "./split.js";
export { sortForInstall, sortForUninstall, sortHooks, INSTALL_ORDER, UNINSTALL_ORDER } from "./sort.js";
export { formatManifests, type FormatOptions } from "./format.js";
export { parseHook } from "./hooks.js";
export { HOOK_EVENTS, type HookEvent, type HookInfo, type HookManifest, type Manifest, type SplitResult } from "./types.js";
