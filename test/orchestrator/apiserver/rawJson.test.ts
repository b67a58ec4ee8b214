// Splicing stored JSON: every spliced answer must parse to exactly what parsing the stored
// text and setting resourceVersion and type meta gives (the slow path it replaces).
import { describe, expect, it } from "vitest";
import { JsonBody, listBody, objectEnd, ObjectWriter } from "../../../orchestrator/apiserver/rawJson.js";
import { encode } from "../../../orchestrator/apiserver/storage.js";
import type { KeyValue } from "../../../orchestrator/store/types.js";

function kv(value: string, modRevision = 42): KeyValue {
  return { key: "/registry/core/pods/default/p", value, createRevision: 1, modRevision, version: 1 };
}

function expected(value: string, type: { apiVersion: string; kind: string }, rv: number): Record<string, unknown> {
  const obj = JSON.parse(value) as Record<string, unknown>;
  const metadata = { ...(obj.metadata as Record<string, unknown>), resourceVersion: String(rv) };
  return { ...obj, ...type, metadata };
}

const POD = { apiVersion: "v1", kind: "Pod" };
const writer = new ObjectWriter(POD);
const text = (write: (body: JsonBody) => JsonBody) => write(new JsonBody()).toBuffer().toString("utf8");

// Stored texts in the layout encode() writes, and in layouts written before it (slow path).
const STORED: [string, string][] = [
  ["apiVersion first", encode({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { a: "b" } }, spec: { x: 1 } })],
  ["kind first", encode({ kind: "Pod", apiVersion: "v1", metadata: { name: "p" }, spec: {} })],
  ["empty metadata", encode({ apiVersion: "v1", kind: "Pod", metadata: {} })],
  ["no metadata given", encode({ apiVersion: "v1", kind: "Pod", spec: { a: [1, 2] } })],
  ["braces, brackets and quotes inside strings", encode({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", annotations: { "a{": "}]\"\\", b: "[{\\\"}" } }, spec: { c: "}" } })],
  ["non-ASCII text", encode({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", annotations: { note: "héllo ✓ 𝄞" } }, data: "ü" })],
  ["nested objects and arrays in metadata", encode({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", managedFields: [{ manager: "m", fieldsV1: { "f:spec": { 'k:{"name":"a"}': {} } } }], finalizers: ["x"] } })],
  ["legacy: metadata first", JSON.stringify({ metadata: { name: "p" }, apiVersion: "v1", kind: "Pod" })],
  ["legacy: no apiVersion", JSON.stringify({ kind: "Pod", metadata: { name: "p" } })],
  ["legacy: a resourceVersion stored in metadata", JSON.stringify({ metadata: { name: "p", resourceVersion: "7" }, kind: "Pod", apiVersion: "v1" })],
];

describe("ObjectWriter", () => {
  it.each(STORED)("serves the object: %s", (_name, value) => {
    const out = text((b) => writer.object(b, kv(value)));
    expect(JSON.parse(out)).toEqual(expected(value, POD, 42));
  });

  it.each(STORED)("serves the metadata: %s", (_name, value) => {
    const out = text((b) => writer.metadata(b, kv(value)));
    expect(JSON.parse(out)).toEqual(expected(value, POD, 42).metadata);
  });

  it.each(STORED)("serves a PartialObjectMetadata at another revision: %s", (_name, value) => {
    const out = text((b) => writer.partial(b, kv(value), "v1beta1", 99));
    expect(JSON.parse(out)).toEqual({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1beta1", metadata: expected(value, POD, 99).metadata });
  });

  it("rewrites the type meta to the version served (CRD versions share one stored object)", () => {
    const value = encode({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: 1 } });
    const served = new ObjectWriter({ apiVersion: "example.com/v2", kind: "Widget" });
    expect(JSON.parse(text((b) => served.object(b, kv(value))))).toMatchObject({ apiVersion: "example.com/v2", kind: "Widget", metadata: { name: "w", resourceVersion: "42" } });
  });

  it("keeps the order of kind and apiVersion the object was written with", () => {
    const kindFirst = text((b) => writer.object(b, kv(encode({ kind: "Pod", apiVersion: "v1", metadata: { name: "p" } }))));
    const apiFirst = text((b) => writer.object(b, kv(encode({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }))));
    expect(kindFirst.startsWith('{"kind":"Pod","apiVersion":"v1","metadata":{')).toBe(true);
    expect(apiFirst.startsWith('{"apiVersion":"v1","kind":"Pod","metadata":{')).toBe(true);
  });

  it("wraps items in a list envelope", () => {
    const items = STORED.map(([, value], i) => kv(value, i + 1));
    const body = listBody({ kind: "PodList", apiVersion: "v1" }, { resourceVersion: "9" }, items, (b, item) => writer.object(b, item));
    const list = JSON.parse(body.toString("utf8")) as { items: unknown[] };
    expect(list).toMatchObject({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "9" } });
    expect(list.items).toEqual(items.map((item) => expected(item.value, POD, item.modRevision)));
  });
});

describe("JsonBody", () => {
  it("joins ASCII, UTF-8 text and byte pieces into one buffer", () => {
    const body = new JsonBody().ascii('{"a":').text('"é✓𝄞"').bytes(Buffer.from(',"b":1')).ascii("}");
    expect(body.toBuffer().toString("utf8")).toBe('{"a":"é✓𝄞","b":1}');
  });
});

describe("objectEnd", () => {
  const bytes = (s: string) => Buffer.from(s);
  it.each([
    ["}", 0, 0],
    ['"a":1}', 0, 5],
    ['"a":{"b":[1,{}]}},', 0, 16],
    ['"a":"}\\"}"}', 0, 10],
    ['"a":"\\\\"}', 0, 8],
    ['"a":[}', 0, -1],
    ['"a":"never closed}', 0, -1],
    ['"a":1', 0, -1],
  ])("%j from %i → %i", (s, from, end) => {
    expect(objectEnd(bytes(s), from)).toBe(end);
  });
});
