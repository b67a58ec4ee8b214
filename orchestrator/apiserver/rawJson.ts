// Serving stored objects without a JSON round trip. The store holds each object as the JSON
// text `encode` wrote: kind and apiVersion first (in the order the client sent them), then
// metadata without resourceVersion. A response copies that text's UTF-8 bytes: it rewrites the
// type meta to the version being served and inserts metadata.resourceVersion (the revision).
// Text of any other shape (written before this layout) takes the slow path: parse, stringify.
import type { KeyValue } from "../store/types.js";
import { isObject, meta, type JsonObject } from "./object.js";

export interface TypeMeta {
  apiVersion: string;
  kind: string;
}

// A JSON string literal as JSON.stringify writes it.
const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const HEAD = new RegExp(String.raw`^\{"(apiVersion|kind)":${STRING},"(apiVersion|kind)":${STRING},"metadata":\{`);

/** Where a stored value's parts are, in bytes of its UTF-8 encoding. */
interface Layout {
  bytes: Buffer;
  kindFirst: boolean;
  /** Offset of the first metadata member (or of metadata's closing brace when it is empty). */
  members: number;
  /** Offset of metadata's closing brace; found on first use (-1: not well-formed). */
  membersEnd?: number;
}

// Stored key-values are immutable, so their encoded bytes are computed once and shared by every
// list, get and watch that serves them; entries go when the store drops the version.
const layouts = new WeakMap<KeyValue, Layout | null>();

function layoutOf(kv: KeyValue): Layout | undefined {
  let layout = layouts.get(kv);
  if (layout === undefined) {
    const m = HEAD.exec(kv.value);
    layout = m && m[1] !== m[2] ? { bytes: Buffer.from(kv.value), kindFirst: m[1] === "kind", members: Buffer.byteLength(m[0]) } : null;
    layouts.set(kv, layout);
  }
  return layout ?? undefined;
}

function membersEnd(layout: Layout): number {
  layout.membersEnd ??= objectEnd(layout.bytes, layout.members);
  return layout.membersEnd;
}

/** Parses stored text into an object carrying its resourceVersion. */
export function decodeValue(kv: KeyValue): JsonObject {
  const obj: unknown = JSON.parse(kv.value);
  if (!isObject(obj)) throw new Error(`stored value at ${kv.key} is not an object`);
  meta(obj).resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * A response body assembled from pieces, copied once into one Buffer. Short ASCII pieces (the
 * resourceVersion members, separators) stay strings and are copied byte by byte: encoding each
 * through Buffer.write costs more than the copy.
 */
export class JsonBody {
  private readonly chunks: (Buffer | string)[] = [];
  private size = 0;

  /** Any text (encoded as UTF-8 now). */
  text(s: string): this {
    return this.bytes(Buffer.from(s));
  }

  /** Text the caller knows is ASCII (digits, quotes, punctuation, ASCII names). */
  ascii(s: string): this {
    this.chunks.push(s);
    this.size += s.length;
    return this;
  }

  bytes(b: Buffer): this {
    this.chunks.push(b);
    this.size += b.length;
    return this;
  }

  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.size);
    let at = 0;
    for (const c of this.chunks) {
      if (typeof c === "string") {
        for (let i = 0; i < c.length; i++) out[at++] = c.charCodeAt(i);
      } else {
        out.set(c, at);
        at += c.length;
      }
    }
    return out;
  }
}

function typeHead(type: TypeMeta, kindFirst: boolean): Buffer {
  const kind = `"kind":${JSON.stringify(type.kind)}`;
  const apiVersion = `"apiVersion":${JSON.stringify(type.apiVersion)}`;
  return Buffer.from(kindFirst ? `{${kind},${apiVersion},"metadata":{` : `{${apiVersion},${kind},"metadata":{`);
}

const CLOSE_BRACE = 0x7d;
const PARTIAL_HEADS = new Map<string, Buffer>();

function partialHead(version: string): Buffer {
  let head = PARTIAL_HEADS.get(version);
  if (!head) {
    head = Buffer.from(`{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/${version}","metadata":`);
    PARTIAL_HEADS.set(version, head);
  }
  return head;
}

/** Writes stored objects as served at one type; make one per response and reuse it per item. */
export class ObjectWriter {
  private readonly heads: [Buffer, Buffer];

  constructor(private readonly type: TypeMeta) {
    this.heads = [typeHead(type, false), typeHead(type, true)];
  }

  /** The object with this writer's type meta and resourceVersion (default: the kv's modRevision). */
  object(body: JsonBody, kv: KeyValue, revision = kv.modRevision): JsonBody {
    const layout = layoutOf(kv);
    if (!layout) return body.text(JSON.stringify(this.slow(kv, revision)));
    const empty = layout.bytes[layout.members] === CLOSE_BRACE;
    body.bytes(this.heads[layout.kindFirst ? 1 : 0]).ascii(`"resourceVersion":"${revision}"${empty ? "" : ","}`);
    return body.bytes(layout.bytes.subarray(layout.members));
  }

  /** The object's metadata block, resourceVersion set. */
  metadata(body: JsonBody, kv: KeyValue, revision = kv.modRevision): JsonBody {
    const layout = layoutOf(kv);
    const end = layout ? membersEnd(layout) : -1;
    if (!layout || end < 0) return body.text(JSON.stringify(meta(this.slow(kv, revision))));
    const empty = end === layout.members;
    body.ascii(`{"resourceVersion":"${revision}"${empty ? "" : ","}`);
    return body.bytes(layout.bytes.subarray(layout.members, end + 1));
  }

  /** A meta.k8s.io PartialObjectMetadata of the object. */
  partial(body: JsonBody, kv: KeyValue, version: string, revision = kv.modRevision): JsonBody {
    body.bytes(partialHead(version));
    return this.metadata(body, kv, revision).ascii("}");
  }

  private slow(kv: KeyValue, revision: number): JsonObject {
    const obj = decodeValue(kv);
    meta(obj).resourceVersion = String(revision);
    obj.apiVersion = this.type.apiVersion;
    obj.kind = this.type.kind;
    return obj;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Offset of the `}` closing the object whose members start at `from` in well-formed JSON bytes
 * (-1 if it never closes). Strings are skipped whole, so brackets inside them do not count;
 * UTF-8 continuation bytes never equal an ASCII delimiter, so bytes scan like characters.
 */
export function objectEnd(bytes: Uint8Array, from: number): number {
  let depth = 1;
  for (let i = from; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      i = stringEnd(bytes, i);
      if (i < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === CLOSE_BRACE || c === 0x5d) {
      if (--depth === 0) return c === CLOSE_BRACE ? i : -1;
    }
  }
  return -1;
}

/** Offset of the quote closing the string literal opened at `open`. */
function stringEnd(bytes: Uint8Array, open: number): number {
  for (let i = open + 1; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return -1;
}

const COMMA = Buffer.from(",");

/** A list envelope around items written by `each`; `metadata` is the list's ListMeta. */
export function listBody<T>(type: TypeMeta, metadata: JsonObject, items: readonly T[], each: (body: JsonBody, item: T) => void): Buffer {
  const body = new JsonBody().text(`{"kind":${JSON.stringify(type.kind)},"apiVersion":${JSON.stringify(type.apiVersion)},"metadata":${JSON.stringify(metadata)},"items":[`);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) body.bytes(COMMA);
    each(body, items[i]);
  }
  return body.ascii("]}").toBuffer();
}
