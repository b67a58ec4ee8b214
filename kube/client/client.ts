// The dynamic client: CRUD, patch and list for any kind the server's discovery knows, over
// unstructured objects. Namespaced kinds default to the client's namespace (kubeconfig context
// or -n); for cluster-scoped kinds a namespace is ignored, as kubectl does.
import { KubeError } from "../../core/errors.js";
import { RestMapper, type ResourceMapping } from "./discovery.js";
import { isRecord, isUnstructured, refOf, type KubeObject, type ObjectRef, type TypeRef, type Unstructured } from "./objects.js";
import type { Query, Transport } from "./transport.js";
import { apiStatusOf } from "./errors.js";

export type PatchType = "merge" | "json" | "strategic" | "apply";

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

export interface WriteOptions {
  /** Validate and default on the server without persisting (dryRun=All). */
  dryRun?: boolean;
  fieldManager?: string;
}

export interface PatchOptions extends WriteOptions {
  type: PatchType;
  /** Server-side apply only: take fields other managers own. */
  force?: boolean;
  /** e.g. "status" or "scale". */
  subresource?: string;
}

export interface ApplyOptions {
  /** Default "berth". */
  fieldManager?: string;
  force?: boolean;
  dryRun?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export interface ListOptions {
  /** Namespace for namespaced kinds (default: the client's); ignored for cluster-scoped ones. */
  namespace?: string;
  /** List across all namespaces. */
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size: list() follows `continue` until done (default 500). */
  limit?: number;
}

export interface ListResult {
  items: Unstructured[];
  /** The collection's resourceVersion: start a watch from here. */
  resourceVersion: string;
}

export interface PageResult extends ListResult {
  /** Token for the next page, when there is one. */
  continue?: string;
}

export class KubeClient {
  readonly mapper: RestMapper;

  constructor(
    readonly transport: Transport,
    /** The namespace namespaced kinds default to. */
    readonly namespace: string,
  ) {
    this.mapper = new RestMapper(transport);
  }

  async get(ref: ObjectRef): Promise<Unstructured> {
    const { path, what } = await this.objectPath(ref, "get");
    return expectObject(await this.transport.json({ method: "GET", path, what }), what);
  }

  /** Like get, but undefined when the object (not its kind) does not exist. */
  async tryGet(ref: ObjectRef): Promise<Unstructured | undefined> {
    try {
      return await this.get(ref);
    } catch (err) {
      if (apiStatusOf(err)?.code === 404) return undefined;
      throw err;
    }
  }

  /** Every page of a list. */
  async list(type: TypeRef, options: ListOptions = {}): Promise<ListResult> {
    const items: Unstructured[] = [];
    let token: string | undefined;
    let resourceVersion = "";
    do {
      const page = await this.listPage(type, { ...options, continue: token });
      items.push(...page.items);
      resourceVersion = page.resourceVersion;
      token = page.continue;
    } while (token);
    return { items, resourceVersion };
  }

  async listPage(type: TypeRef, options: ListOptions & { continue?: string } = {}): Promise<PageResult> {
    const m = await this.mapper.mapping(type);
    const ns = m.namespaced && !options.allNamespaces ? (options.namespace ?? this.namespace) : undefined;
    const what = `list ${m.resource}${ns ? ` -n ${ns}` : ""}`;
    const query: Query = {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit ?? 500,
      continue: options.continue,
    };
    const body = await this.transport.json({ method: "GET", path: collectionPath(m, ns), query, what });
    if (!isRecord(body) || !Array.isArray(body.items)) throw new KubeError(`${what}: the server's reply is not a list`);
    const meta = isRecord(body.metadata) ? body.metadata : {};
    // Items of a list may omit their type meta; it is the list's kind.
    const items = body.items.filter(isRecord).map((i) => ({ apiVersion: type.apiVersion, kind: type.kind, ...i }));
    return {
      items: items.filter(isUnstructured),
      resourceVersion: typeof meta.resourceVersion === "string" ? meta.resourceVersion : "",
      continue: typeof meta.continue === "string" && meta.continue !== "" ? meta.continue : undefined,
    };
  }

  async create(obj: KubeObject, options: WriteOptions = {}): Promise<Unstructured> {
    const m = await this.mapper.mapping(typeOf(obj));
    const ns = this.namespaceFor(m, obj.metadata?.namespace);
    const what = `create ${m.resource}/${obj.metadata?.name ?? obj.metadata?.generateName ?? ""}${ns ? ` -n ${ns}` : ""}`;
    const body = withNamespace(obj, ns);
    const reply = await this.transport.json({ method: "POST", path: collectionPath(m, ns), query: writeQuery(options), body, what });
    return expectObject(reply, what);
  }

  /** PUT: replaces the object; metadata.resourceVersion makes it a compare-and-swap. */
  async update(obj: KubeObject, options: WriteOptions = {}): Promise<Unstructured> {
    return this.put(obj, options, undefined);
  }

  /** PUT to the status subresource: only status changes. */
  async updateStatus(obj: KubeObject, options: WriteOptions = {}): Promise<Unstructured> {
    return this.put(obj, options, "status");
  }

  async patch(ref: ObjectRef, patch: unknown, options: PatchOptions): Promise<Unstructured> {
    const { path, what, m } = await this.objectPath(ref, `patch (${options.type})`, options.subresource);
    if (options.force && options.type !== "apply") throw new KubeError(`${what}: force applies only to server-side apply`);
    const query: Query = { ...writeQuery(options), force: options.force ? true : undefined };
    if (options.type === "apply" && !query.fieldManager) throw new KubeError(`${what}: server-side apply needs a fieldManager`);
    const body = options.type === "apply" && isRecord(patch) ? withNamespace(patch, this.namespaceFor(m, ref.namespace)) : patch;
    const reply = await this.transport.json({ method: "PATCH", path, query, body, contentType: PATCH_CONTENT_TYPES[options.type], what });
    return expectObject(reply, what);
  }

  /** Server-side apply of a whole object (field manager "berth" unless told). */
  async apply(obj: KubeObject, options: ApplyOptions = {}): Promise<Unstructured> {
    return this.patch(refOf(obj), obj, { type: "apply", fieldManager: options.fieldManager ?? "berth", ...pick(options) });
  }

  /** Deletes; resolves with the object as it is now (with a deletionTimestamp when finalizers hold it) or undefined once gone. */
  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<Unstructured | undefined> {
    const { path, what } = await this.objectPath(ref, "delete");
    const query: Query = { dryRun: options.dryRun ? "All" : undefined };
    const body = { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: options.propagationPolicy, gracePeriodSeconds: options.gracePeriodSeconds };
    const reply = await this.transport.json({ method: "DELETE", path, query, body, what });
    return isUnstructured(reply) ? reply : undefined;
  }

  /** URL path of a kind's collection (for watch and callers with special needs). */
  async collectionPathFor(type: TypeRef, scope: { namespace?: string; allNamespaces?: boolean } = {}): Promise<{ path: string; mapping: ResourceMapping }> {
    const m = await this.mapper.mapping(type);
    const ns = scope.allNamespaces ? undefined : this.namespaceFor(m, scope.namespace);
    return { path: collectionPath(m, ns), mapping: m };
  }

  /** The namespace an object of this kind lands in. */
  namespaceFor(m: ResourceMapping, namespace: string | undefined): string | undefined {
    return m.namespaced ? namespace || this.namespace : undefined;
  }

  private async put(obj: KubeObject, options: WriteOptions, subresource: string | undefined): Promise<Unstructured> {
    const { path, what, m } = await this.objectPath(refOf(obj), subresource ? `update ${subresource} of` : "update", subresource);
    const body = withNamespace(obj, this.namespaceFor(m, obj.metadata?.namespace));
    return expectObject(await this.transport.json({ method: "PUT", path, query: writeQuery(options), body, what }), what);
  }

  private async objectPath(ref: ObjectRef, verb: string, subresource?: string): Promise<{ path: string; what: string; m: ResourceMapping }> {
    if (!ref.name) throw new KubeError(`${verb} ${ref.kind}: metadata.name is required`);
    const m = await this.mapper.mapping(ref);
    const ns = this.namespaceFor(m, ref.namespace);
    const path = `${collectionPath(m, ns)}/${encodeURIComponent(ref.name)}${subresource ? `/${subresource}` : ""}`;
    return { path, what: `${verb} ${m.resource}/${ref.name}${ns ? ` -n ${ns}` : ""}`, m };
  }
}

function pick(o: ApplyOptions): { force?: boolean; dryRun?: boolean; subresource?: string } {
  return { force: o.force, dryRun: o.dryRun, subresource: o.subresource };
}

function typeOf(obj: KubeObject): TypeRef {
  if (!obj.apiVersion || !obj.kind) throw new KubeError(`object ${obj.metadata?.name ?? "(unnamed)"}: apiVersion and kind are required`);
  return { apiVersion: obj.apiVersion, kind: obj.kind };
}

function writeQuery(o: WriteOptions): Query {
  return { dryRun: o.dryRun ? "All" : undefined, fieldManager: o.fieldManager };
}

function withNamespace<T extends { metadata?: unknown }>(obj: T, ns: string | undefined): T {
  if (!ns) return obj;
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  if (metadata.namespace === ns) return obj;
  return { ...obj, metadata: { ...metadata, namespace: ns } };
}

export function collectionPath(m: ResourceMapping, namespace: string | undefined): string {
  const base = m.group === "" ? `/api/${m.version}` : `/apis/${m.group}/${m.version}`;
  return `${base}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ""}/${m.resource}`;
}

function expectObject(body: unknown, what: string): Unstructured {
  if (!isUnstructured(body)) throw new KubeError(`${what}: the server's reply is not a Kubernetes object`);
  return body;
}
