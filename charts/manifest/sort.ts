// Helm's install and uninstall order by kind (see kube/kindOrder.ts); within a kind, by
// template name, and the sort is stable so documents of one template keep their order.
import { compareKinds, INSTALL_ORDER, UNINSTALL_ORDER } from "../../kube/kindOrder.js";
import type { Manifest } from "./types.js";

export { INSTALL_ORDER, UNINSTALL_ORDER };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByKind<T extends Manifest>(manifests: readonly T[], order: readonly string[]): T[] {
  return [...manifests].sort((a, b) => compareKinds(a.kind, b.kind, order) || compareText(a.source, b.source));
}

export function sortForInstall<T extends Manifest>(manifests: readonly T[]): T[] {
  return sortByKind(manifests, INSTALL_ORDER);
}

export function sortForUninstall<T extends Manifest>(manifests: readonly T[]): T[] {
  return sortByKind(manifests, UNINSTALL_ORDER);
}

/** Helm's hook order: by weight, then resource name; kinds in install order break ties. */
export function sortHooks<T extends Manifest>(hooks: readonly T[]): T[] {
  return sortForInstall(hooks).sort((a, b) => {
    const wa = a.hook?.weight ?? 0;
    const wb = b.hook?.weight ?? 0;
    return wa !== wb ? wa - wb : compareText(a.name, b.name);
  });
}
