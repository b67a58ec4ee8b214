// Type guards at the informer boundary: the client hands out unstructured JSON, the plugins
// read client-node's V1 types. Every field of those types is optional, so checking the kind
// and that spec / status are objects is what the plugins' optional chaining relies on.
import type { V1Namespace, V1Node, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { isRecord, type Unstructured } from "../../kube/client/index.js";

function shaped(obj: Unstructured, kind: string): boolean {
  return obj.kind === kind && (obj.spec === undefined || isRecord(obj.spec)) && (obj.status === undefined || isRecord(obj.status));
}

export function isPod(obj: Unstructured): obj is Unstructured & V1Pod {
  return shaped(obj, "Pod");
}

export function isNode(obj: Unstructured): obj is Unstructured & V1Node {
  return shaped(obj, "Node");
}

export function isClaim(obj: Unstructured): obj is Unstructured & V1PersistentVolumeClaim {
  return shaped(obj, "PersistentVolumeClaim");
}

export function isVolume(obj: Unstructured): obj is Unstructured & V1PersistentVolume {
  return shaped(obj, "PersistentVolume");
}

export function isNamespace(obj: Unstructured): obj is Unstructured & V1Namespace {
  return shaped(obj, "Namespace");
}

/** A PriorityClass's value (scheduling.k8s.io/v1 has no generated type in the pod path we use). */
export function priorityClassValue(obj: Unstructured): number | undefined {
  return obj.kind === "PriorityClass" && typeof obj.value === "number" ? obj.value : undefined;
}
