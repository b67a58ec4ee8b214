// Objects over the store: one key per object ("/registry/<group>/<resource>/[<ns>/]<name>"),
// JSON values, resourceVersion = the key's modRevision. Store failures become the Status
// errors a Kubernetes API server answers with, naming the resource and object.
import type { KeyValue, Store } from "../store/types.js";
import { StoreCompacted, StoreConflict, StoreKeyExists, StoreKeyNotFound } from "../store/errors.js";
import { alreadyExists, badRequest, conflict, expired, notFound } from "./errors.js";
import { isObject, meta, type JsonObject } from "./object.js";
import { decodeValue } from "./rawJson.js";
import type { ResourceInfo } from "./types.js";

export interface ObjectRef {
  namespace?: string;
  name: string;
}

export interface ListPage {
  items: JsonObject[];
  revision: number;
  continueToken?: string;
}

/** A page of stored key-values. */
export interface RawListPage {
  kvs: KeyValue[];
  revision: number;
  continueToken?: string;
}

export interface ListOptions {
  namespace?: string;
  limit?: number;
  continueToken?: string;
  /** Which stored objects to keep (selectors read them through selectors/attributes.ts). */
  filter?: (kv: KeyValue) => boolean;
}

type ResourceKey = Pick<ResourceInfo, "group" | "resource" | "namespaced">;

export function resourcePrefix(info: ResourceKey, namespace?: string): string {
  const base = `/registry/${info.group || "core"}/${info.resource}/`;
  return info.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(info: ResourceKey, ref: ObjectRef): string {
  return info.namespaced ? `${resourcePrefix(info, ref.namespace ?? "")}${ref.name}` : `${resourcePrefix(info)}${ref.name}`;
}

export function decode(kv: KeyValue): JsonObject {
  return decodeValue(kv);
}

/**
 * Stored text: kind and apiVersion first (in the order the object had them), then metadata
 * without resourceVersion, then the rest; rawJson.ts serves lists by splicing this layout.
 */
export function encode(obj: JsonObject): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const { resourceVersion: _rv, ...m } = isObject(metadata) ? metadata : {};
  const head = firstKey(obj) === "kind" ? { kind, apiVersion } : { apiVersion, kind };
  return JSON.stringify({ ...head, metadata: m, ...rest });
}

function firstKey(obj: JsonObject): string | undefined {
  for (const k in obj) return k;
  return undefined;
}

interface ContinueToken {
  rev: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url");
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t: unknown = JSON.parse(Buffer.from(token, "base64url").toString());
    if (isObject(t) && typeof t.rev === "number" && typeof t.start === "string") return { rev: t.rev, start: t.start };
  } catch {
    // fall through to the error below
  }
  throw badRequest(`continue key is not valid: ${token.slice(0, 40)}`);
}

function describe(info: ResourceKey, ref: ObjectRef): string {
  return `${info.resource}${info.group ? `.${info.group}` : ""} "${ref.name}"`;
}

export class ObjectStorage {
  constructor(readonly store: Store) {}

  async get(info: ResourceKey, ref: ObjectRef): Promise<JsonObject> {
    const found = await this.tryGet(info, ref);
    if (!found) throw notFound(`${describe(info, ref)} not found`, { name: ref.name });
    return found;
  }

  /** The stored key-value of an object (404 when absent), for responses spliced from its text. */
  async getRaw(info: ResourceKey, ref: ObjectRef): Promise<KeyValue> {
    const kv = await this.store.get(objectKey(info, ref));
    if (!kv) throw notFound(`${describe(info, ref)} not found`, { name: ref.name });
    return kv;
  }

  async tryGet(info: ResourceKey, ref: ObjectRef): Promise<JsonObject | undefined> {
    const kv = await this.store.get(objectKey(info, ref));
    return kv ? decode(kv) : undefined;
  }

  async create(info: ResourceKey, ref: ObjectRef, obj: JsonObject): Promise<JsonObject> {
    try {
      const kv = await this.store.create(objectKey(info, ref), encode(obj));
      meta(obj).resourceVersion = String(kv.modRevision);
      return obj;
    } catch (err) {
      if (err instanceof StoreKeyExists) throw alreadyExists(`${describe(info, ref)} already exists`, { name: ref.name, cause: err });
      throw err;
    }
  }

  /** Writes obj; when expectedRevision is given the write fails with 409 if the object changed. */
  async update(info: ResourceKey, ref: ObjectRef, obj: JsonObject, expectedRevision?: number): Promise<JsonObject> {
    try {
      const options = expectedRevision === undefined ? {} : { expectedModRevision: expectedRevision };
      const kv = await this.store.update(objectKey(info, ref), encode(obj), options);
      meta(obj).resourceVersion = String(kv.modRevision);
      return obj;
    } catch (err) {
      throw this.translate(err, info, ref);
    }
  }

  async delete(info: ResourceKey, ref: ObjectRef, expectedRevision?: number): Promise<JsonObject> {
    try {
      const options = expectedRevision === undefined ? {} : { expectedModRevision: expectedRevision };
      const kv = await this.store.delete(objectKey(info, ref), options);
      return decode(kv);
    } catch (err) {
      throw this.translate(err, info, ref);
    }
  }

  /** A page of objects read at one revision; filtered items do not count toward limit. */
  async list(info: ResourceKey, options: ListOptions = {}): Promise<ListPage> {
    const page = await this.listRaw(info, options);
    const items = page.kvs.map(decode);
    return page.continueToken ? { items, revision: page.revision, continueToken: page.continueToken } : { items, revision: page.revision };
  }

  /** list() without decoding: responses are spliced from the stored text. */
  async listRaw(info: ResourceKey, options: ListOptions = {}): Promise<RawListPage> {
    const prefix = resourcePrefix(info, options.namespace);
    const token = options.continueToken ? decodeContinue(options.continueToken) : undefined;
    if (token && !token.start.startsWith(prefix)) throw badRequest("continue key does not match the request");
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const out: RawListPage = { kvs: [], revision: 0 };
    let start = token?.start;
    let revision = token?.rev;
    for (;;) {
      const want = limit ? Math.max(limit - out.kvs.length, 1) + 1 : 0;
      const res = await this.rangeAt(prefix, { limit: want, startKey: start, revision });
      revision = out.revision = res.revision;
      const kvs = res.items;
      for (let i = 0; i < kvs.length; i++) {
        if (options.filter && !options.filter(kvs[i])) continue;
        out.kvs.push(kvs[i]);
        if (limit && out.kvs.length === limit) {
          const next = kvs[i + 1]?.key ?? (res.more ? `${kvs[kvs.length - 1].key}\u0000` : undefined);
          if (next !== undefined) out.continueToken = encodeContinue({ rev: revision, start: next });
          return out;
        }
      }
      if (!res.more || kvs.length === 0) return out;
      start = `${kvs[kvs.length - 1].key}\u0000`;
    }
  }

  private async rangeAt(prefix: string, options: { limit: number; startKey?: string; revision?: number }) {
    try {
      return await this.store.range(prefix, options);
    } catch (err) {
      if (err instanceof StoreCompacted) {
        throw expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
      }
      throw err;
    }
  }

  private translate(err: unknown, info: ResourceKey, ref: ObjectRef): unknown {
    if (err instanceof StoreKeyNotFound) return notFound(`${describe(info, ref)} not found`, { name: ref.name, cause: err });
    if (err instanceof StoreConflict) {
      return conflict(`Operation cannot be fulfilled on ${describe(info, ref)}: the object has been modified; please apply your changes to the latest version and try again`, { name: ref.name, cause: err });
    }
    return err;
  }
}
