// The in-memory RBAC policy: roles by name and bindings indexed by subject (user, group, service
// account) and namespace, so a decision touches only the bindings of the requester's own names,
// never all bindings. Fed by store events and by the API server's own writes; each key
// remembers the revision it was last changed at, so the two feeds can arrive in any order.
import { serviceAccountUsername, type BindingEntry, type RoleEntry, type Subject } from "./policy.js";
import type { UserInfo } from "../types.js";

export type RbacResource = "roles" | "clusterroles" | "rolebindings" | "clusterrolebindings";

export const RBAC_RESOURCES: readonly RbacResource[] = ["roles", "clusterroles", "rolebindings", "clusterrolebindings"];

export function isRbacResource(r: string): r is RbacResource {
  return (RBAC_RESOURCES as readonly string[]).includes(r);
}

type Change = { resource: RbacResource; namespace?: string; name: string };
type Listener = (change: Change) => void;

const nsKey = (namespace: string | undefined, name: string): string => (namespace ? `${namespace}/${name}` : name);

/** The index keys a binding subject is found under ("u:" user names, "g:" groups). */
export function subjectKey(subject: Subject, bindingNamespace: string | undefined): string | undefined {
  if (subject.kind === "User") return `u:${subject.name}`;
  if (subject.kind === "Group") return `g:${subject.name}`;
  // A service account without a namespace means the binding's own; cluster-wide it means none.
  const namespace = subject.namespace ?? bindingNamespace;
  return namespace ? `u:${serviceAccountUsername(namespace, subject.name)}` : undefined;
}

export function userKeys(user: UserInfo): string[] {
  return [`u:${user.username}`, ...user.groups.map((g) => `g:${g}`)];
}

export class PolicyCache {
  private readonly roles = new Map<string, RoleEntry>();
  private readonly clusterRoles = new Map<string, RoleEntry>();
  private readonly bindings = new Map<string, BindingEntry>();
  private readonly clusterBySubject = new Map<string, Set<BindingEntry>>();
  /** subject key → namespace → bindings. */
  private readonly namespacedBySubject = new Map<string, Map<string, Set<BindingEntry>>>();
  /** resource/ns/name → revision of the last applied change (deletes included). */
  private readonly revisions = new Map<string, number>();
  private readonly listeners = new Set<Listener>();

  role(namespace: string, name: string): RoleEntry | undefined {
    return this.roles.get(nsKey(namespace, name));
  }

  clusterRole(name: string): RoleEntry | undefined {
    return this.clusterRoles.get(name);
  }

  allClusterRoles(): RoleEntry[] {
    return [...this.clusterRoles.values()];
  }

  /** ClusterRoleBindings naming any of keys, each once. */
  clusterBindingsFor(keys: string[]): Set<BindingEntry> {
    const out = new Set<BindingEntry>();
    for (const k of keys) for (const b of this.clusterBySubject.get(k) ?? []) out.add(b);
    return out;
  }

  /** RoleBindings in namespace naming any of keys, each once. */
  roleBindingsFor(keys: string[], namespace: string): Set<BindingEntry> {
    const out = new Set<BindingEntry>();
    for (const k of keys) for (const b of this.namespacedBySubject.get(k)?.get(namespace) ?? []) out.add(b);
    return out;
  }

  bindingCount(): number {
    return this.bindings.size;
  }

  /** Called after every applied change (not for stale ones). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a role or binding as of revision; stale revisions are ignored. */
  put(resource: RbacResource, entry: RoleEntry | BindingEntry, revision: number): void {
    const key = `${resource}/${nsKey(entry.namespace, entry.name)}`;
    if (!this.advance(key, revision)) return;
    this.drop(resource, entry.namespace, entry.name);
    if ("roleRef" in entry) this.indexBinding(key, entry);
    else if (resource === "roles") this.roles.set(nsKey(entry.namespace, entry.name), entry);
    else this.clusterRoles.set(entry.name, entry);
    this.emit({ resource, namespace: entry.namespace, name: entry.name });
  }

  /** Removes an object; revision is that of the delete, or of the deleted value when unknown. */
  remove(resource: RbacResource, ref: { namespace?: string; name: string }, revision: number): void {
    const key = `${resource}/${nsKey(ref.namespace, ref.name)}`;
    if (!this.advance(key, revision)) return;
    this.drop(resource, ref.namespace, ref.name);
    this.emit({ resource, namespace: ref.namespace, name: ref.name });
  }

  /** After a relist at revision: drops what the list no longer holds ("resource/ns/name" keys). */
  retainOnly(present: Set<string>, revision: number): void {
    const gone: { resource: RbacResource; namespace?: string; name: string }[] = [];
    const collect = (resource: RbacResource, entries: Iterable<{ namespace?: string; name: string }>) => {
      for (const e of entries) if (!present.has(`${resource}/${nsKey(e.namespace, e.name)}`)) gone.push({ resource, namespace: e.namespace, name: e.name });
    };
    collect("roles", this.roles.values());
    collect("clusterroles", this.clusterRoles.values());
    collect("rolebindings", [...this.bindings.values()].filter((b) => b.namespace !== undefined));
    collect("clusterrolebindings", [...this.bindings.values()].filter((b) => b.namespace === undefined));
    for (const g of gone) this.remove(g.resource, g, revision);
  }

  private advance(key: string, revision: number): boolean {
    const seen = this.revisions.get(key) ?? 0;
    if (revision < seen) return false;
    this.revisions.set(key, revision);
    return true;
  }

  private drop(resource: RbacResource, namespace: string | undefined, name: string): void {
    if (resource === "roles") this.roles.delete(nsKey(namespace, name));
    else if (resource === "clusterroles") this.clusterRoles.delete(name);
    else this.unindexBinding(`${resource}/${nsKey(namespace, name)}`);
  }

  private indexBinding(key: string, binding: BindingEntry): void {
    this.bindings.set(key, binding);
    for (const s of binding.subjects) {
      const k = subjectKey(s, binding.namespace);
      if (k === undefined) continue;
      if (binding.namespace === undefined) getOrAdd(this.clusterBySubject, k, () => new Set()).add(binding);
      else getOrAdd(getOrAdd(this.namespacedBySubject, k, () => new Map()), binding.namespace, () => new Set()).add(binding);
    }
  }

  private unindexBinding(key: string): void {
    const binding = this.bindings.get(key);
    if (!binding) return;
    this.bindings.delete(key);
    for (const s of binding.subjects) {
      const k = subjectKey(s, binding.namespace);
      if (k === undefined) continue;
      if (binding.namespace === undefined) {
        deleteFrom(this.clusterBySubject, k, binding);
        continue;
      }
      const byNs = this.namespacedBySubject.get(k);
      if (!byNs) continue;
      deleteFrom(byNs, binding.namespace, binding);
      if (byNs.size === 0) this.namespacedBySubject.delete(k);
    }
  }

  private emit(change: Change): void {
    for (const l of this.listeners) l(change);
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

function deleteFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
