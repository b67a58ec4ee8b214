// Install / uninstall order for arbitrary objects, by the kind order shared with the chart
// engine (kube/kindOrder.ts). Objects of one kind keep their input order (the sort is stable).
import { compareKinds, INSTALL_ORDER, UNINSTALL_ORDER } from "../kindOrder.js";
import type { KubeObject } from "../client/objects.js";

function sortBy<T extends KubeObject>(objects: readonly T[], order: readonly string[]): T[] {
  return [...objects].sort((a, b) => compareKinds(a.kind ?? "", b.kind ?? "", order));
}

export function installOrder<T extends KubeObject>(objects: readonly T[]): T[] {
  return sortBy(objects, INSTALL_ORDER);
}

export function uninstallOrder<T extends KubeObject>(objects: readonly T[]): T[] {
  return sortBy(objects, UNINSTALL_ORDER);
}
