// What the garbage collector reads of each object on a pass: its metadata (owner references,
// finalizers, deletionTimestamp, uid), and the whole object only for namespaces (their
// spec.finalizers). Views are parsed once per stored version and shared by every later pass,
// so a pass over 10,000 unchanged pods parses nothing. Views are frozen: the collector decides
// on them and writes through fresh reads (commitUpdate / deleteObject).
import type { KeyValue } from "../../store/types.js";
import { isObject, type JsonObject } from "../object.js";
import { decodeValue } from "../rawJson.js";

const views = new WeakMap<KeyValue, JsonObject>();

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

export function gcView(kv: KeyValue, whole: boolean): JsonObject {
  let view = views.get(kv);
  if (!view) {
    const obj = decodeValue(kv);
    if (whole) {
      view = obj;
    } else {
      const { managedFields: _managed, ...metadata } = isObject(obj.metadata) ? obj.metadata : {};
      view = { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
    }
    views.set(kv, deepFreeze(view));
  }
  return view;
}
