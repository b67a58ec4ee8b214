// Install / uninstall order for arbitrary objects, by the chart engine's kind order (one
// order for charts, plain `berth apply` and GitOps). Objects of one kind keep their input order.
import { sortForInstall, sortForUninstall } from "../../charts/manifest/sort.js";
import type { Manifest } from "../../charts/manifest/types.js";
import type { KubeObject } from "../client/objects.js";

function sortBy<T extends KubeObject>(objects: readonly T[], sorter: (m: Manifest[]) => Manifest[]): T[] {
  const width = String(objects.length).length;
  const entries = objects.map((obj, i) => ({
    // The sorter breaks ties by source; a zero-padded index keeps input order.
    source: String(i).padStart(width, "0"),
    content: "",
    object: {},
    apiVersion: obj.apiVersion ?? "",
    kind: obj.kind ?? "",
    name: obj.metadata?.name ?? "",
    namespace: obj.metadata?.namespace,
  }));
  return sorter(entries).map((e) => objects[Number(e.source)]);
}

export function installOrder<T extends KubeObject>(objects: readonly T[]): T[] {
  return sortBy(objects, sortForInstall);
}

export function uninstallOrder<T extends KubeObject>(objects: readonly T[]): T[] {
  return sortBy(objects, sortForUninstall);
}
