// What label and field selectors look at, read once per stored version of an object. Stored
// key-values are immutable, so lists and every watcher with a selector (each kubelet watches
// pods by spec.nodeName) share one parse per write instead of parsing on every match.
import type { KeyValue } from "../../store/types.js";
import { getPath, stringMap } from "../object.js";
import { decodeValue } from "../rawJson.js";
import { fieldValue, selectableFields } from "./fields.js";
import type { Labels } from "./labels.js";

export interface Attributes {
  labels: Labels;
  /** Every field selectable on the kind, by path ("spec.nodeName"), as its selector string. */
  fields: Map<string, string>;
}

// A key-value belongs to one resource, so the kind it is first read as is the kind it has.
const cache = new WeakMap<KeyValue, Attributes>();

export function attributesOf(kv: KeyValue, kind: string): Attributes {
  let attributes = cache.get(kv);
  if (!attributes) {
    const obj = decodeValue(kv);
    const fields = new Map<string, string>();
    for (const field of selectableFields(kind)) fields.set(field, fieldValue(obj, field));
    attributes = { labels: stringMap(getPath(obj, ["metadata", "labels"])), fields };
    cache.set(kv, attributes);
  }
  return attributes;
}
