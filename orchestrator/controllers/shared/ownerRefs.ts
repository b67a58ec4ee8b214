// Controller ownerReferences: who controls an object, how to claim one. A pod is controlled by
// at most one owner (controller: true); the API server's garbage collector deletes owned
// objects when the owner goes (blockOwnerDeletion keeps foreground deletion ordered).
import type { V1ObjectMeta, V1OwnerReference } from "@kubernetes/client-node";

export interface OwnerIdentity {
  apiVersion: string;
  kind: string;
  metadata?: V1ObjectMeta;
}

export function controllerRefOf(obj: { metadata?: V1ObjectMeta }): V1OwnerReference | undefined {
  return (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
}

export function isControlledBy(obj: { metadata?: V1ObjectMeta }, ownerUid: string | undefined): boolean {
  return ownerUid !== undefined && controllerRefOf(obj)?.uid === ownerUid;
}

export function newControllerRef(owner: OwnerIdentity): V1OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata?.name ?? "",
    uid: owner.metadata?.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The ownerReferences list with `ref` as the controller, keeping non-controller owners. */
export function withControllerRef(refs: V1OwnerReference[] | undefined, ref: V1OwnerReference): V1OwnerReference[] {
  return [...(refs ?? []).filter((r) => r.uid !== ref.uid && r.controller !== true), ref];
}

export function withoutOwner(refs: V1OwnerReference[] | undefined, uid: string): V1OwnerReference[] {
  return (refs ?? []).filter((r) => r.uid !== uid);
}

export function objectKey(obj: { metadata?: V1ObjectMeta }): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? "";
  return ns ? `${ns}/${name}` : name;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
