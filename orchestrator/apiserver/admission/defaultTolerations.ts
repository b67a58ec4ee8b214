// The DefaultTolerationSeconds admission plugin: every new pod tolerates the not-ready and
// unreachable NoExecute taints for 300 s unless it already says otherwise, so a node that
// stops answering evicts its pods after five minutes rather than at once.
import { arrayOf, child, isObject, str, type JsonObject } from "../object.js";
import type { ResourceInfo } from "../types.js";

export const DEFAULT_TOLERATION_SECONDS = 300;
const TAINTS = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

function tolerates(tolerations: unknown[], key: string): boolean {
  return tolerations.some((t) => {
    if (!isObject(t)) return false;
    const effect = str(t.effect) ?? "";
    const tKey = str(t.key) ?? "";
    const keyMatches = tKey === key || (tKey === "" && t.operator === "Exists");
    return keyMatches && (effect === "" || effect === "NoExecute");
  });
}

export function addDefaultTolerations(info: Pick<ResourceInfo, "group" | "kind" | "custom">, obj: JsonObject): void {
  if (info.custom || info.group !== "" || info.kind !== "Pod") return;
  const spec = child(obj, "spec");
  const tolerations = arrayOf(spec.tolerations);
  const added = TAINTS.filter((key) => !tolerates(tolerations, key)).map((key) => ({
    key,
    operator: "Exists",
    effect: "NoExecute",
    tolerationSeconds: DEFAULT_TOLERATION_SECONDS,
  }));
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}
