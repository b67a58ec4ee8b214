// The write fast paths against the slow paths they replace, on many seeded random inputs:
// each must give exactly the same result (same JSON text, so same key order too).
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../../orchestrator/apiserver/openapi/catalog.js";
import { clone, type JsonObject } from "../../../../orchestrator/apiserver/object.js";
import { diffFields, pathsOf } from "../../../../orchestrator/apiserver/ssa/fieldDiff.js";
import { fromFieldsV1, isCanonicalFieldsV1, toFieldsV1 } from "../../../../orchestrator/apiserver/ssa/fieldset.js";
import { recordUpdate, type RecordOptions } from "../../../../orchestrator/apiserver/ssa/managed.js";
import { builtinMaps, customMaps, type MapPredicate } from "../../../../orchestrator/apiserver/ssa/mapFields.js";
import { decodeObject } from "../../../../orchestrator/apiserver/validation/unknownFields.js";
import { defineKey, deployment, lease, mutate, node, pick, pod, randomValue, scrambleManaged, seeded, type Random } from "./generate.js";
import { referenceBuiltinMaps, referenceDecode, referenceDiff, referenceRecordUpdate } from "./reference.js";

const catalog = loadCatalog();
const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

const KINDS: { name: string; model: string; make: (i: number) => JsonObject }[] = [
  { name: "Pod", model: "V1Pod", make: pod },
  { name: "Deployment", model: "V1Deployment", make: deployment },
  { name: "Node", model: "V1Node", make: node },
  { name: "Lease", model: "V1Lease", make: lease },
];

/** JSON text with every key kept, "__proto__" included (JSON.stringify keeps own keys). */
const text = (v: unknown) => JSON.stringify(v);
const stored = (v: JsonObject): JsonObject => JSON.parse(text(v)) as JsonObject;

function mutated(rnd: Random, obj: JsonObject, edits: number): JsonObject {
  const out = stored(obj);
  for (let i = 0; i < edits; i++) mutate(rnd, out);
  return out;
}

describe("clone", () => {
  const values: [string, unknown][] = [
    ["pod", pod(1)],
    ["own __proto__ key", JSON.parse('{"a":1,"__proto__":{"x":[1,{"__proto__":2}]}}')],
    ["undefined members", { a: undefined, b: [1, undefined, { c: undefined }] }],
    ["null-prototype object", Object.assign(Object.create(null) as JsonObject, { a: { b: 1 } })],
    ["a Date inside", { when: new Date(0), list: [new Date(1)] }],
    ["scalars", [0, -0, "", null, true, 1e21, "ü"]],
    ...SEEDS.map((seed): [string, unknown] => [`random #${seed}`, randomValue(seeded(seed))]),
  ];
  it.each(values)("copies like structuredClone: %s", (_name, value) => {
    const copy = clone(value);
    expect(copy).toStrictEqual(structuredClone(value));
    expect(text(copy)).toBe(text(structuredClone(value)));
    if (typeof value === "object" && value !== null) expect(copy).not.toBe(value);
  });

  it("shares nothing with the original", () => {
    const original = pod(1);
    const copy = clone(original);
    ((copy.spec as JsonObject).containers as JsonObject[])[0].image = "changed";
    expect(text(original)).toBe(text(pod(1)));
  });
});

describe("decodeObject (one pass) against goTypeError then pruneUnknownFields", () => {
  const cases = KINDS.flatMap((k) => SEEDS.map((seed) => ({ ...k, seed })));
  it.each(cases)("$name #$seed", ({ model, make, seed }) => {
    const rnd = seeded(seed * 7919);
    const input = mutated(rnd, make(seed), 1 + (seed % 6));
    const reference = stored(input);
    const fast = stored(input);
    const want = referenceDecode(catalog, reference, { model });
    const got = decodeObject(fast, { catalog, model });
    expect(got.typeError).toBe(want.typeError);
    if (want.typeError === undefined) {
      expect(got.unknown).toEqual(want.unknown);
      expect(text(fast)).toBe(text(reference));
    }
  });

  const fixed: [string, JsonObject][] = [
    ["bool for a string", { ...pod(1), spec: { containers: [{ name: "a", image: true }] } }],
    ["float for an int32", { ...pod(1), spec: { containers: [{ name: "a", image: "x", ports: [{ containerPort: 80.5 }] }] } }],
    ["number for a quantity", { ...pod(1), spec: { containers: [{ name: "a", image: "x", resources: { limits: { cpu: 2 } } }], volumes: [{ name: "v", emptyDir: { sizeLimit: 5 } }] } }],
    ["string for a map", { ...pod(1), metadata: { name: "p", labels: "x" } }],
    ["array for a struct", { ...pod(1), spec: [] }],
    ["unknown at every level", { ...pod(1), bogus: 1, metadata: { name: "p", bogus: 2 }, spec: { bogus: 3, containers: [{ name: "a", image: "x", bogus: 4, env: [{ name: "e", bogus: 5 }] }] } }],
    ["nulls", { ...pod(1), spec: { containers: null, nodeSelector: { a: null } }, status: null }],
  ];
  it.each(fixed)("%s", (_name, obj) => {
    const reference = stored(obj);
    const fast = stored(obj);
    const want = referenceDecode(catalog, reference, { model: "V1Pod" });
    const got = decodeObject(fast, { catalog, model: "V1Pod" });
    expect(got.typeError).toBe(want.typeError);
    if (want.typeError === undefined) {
      expect(got.unknown).toEqual(want.unknown);
      expect(text(fast)).toBe(text(reference));
    }
  });

  it.each(SEEDS.slice(0, 10))("custom resource metadata and schema #%s", (seed) => {
    const schema = { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } };
    const rnd = seeded(seed);
    const obj = { apiVersion: "x.io/v1", kind: "Thing", metadata: { name: "t", labels: { a: "b" }, bogus: randomValue(rnd) }, spec: { size: 1, extra: randomValue(rnd) } };
    const reference = stored(obj);
    const fast = stored(obj);
    expect(decodeObject(fast, { catalog, schema })).toEqual(referenceDecode(catalog, reference, { schema }));
    expect(text(fast)).toBe(text(reference));
  });
});

/** Every names path of obj (field names from the root; map keys add theirs, list items none). */
function namePaths(v: unknown, names: string[], out: string[][]): string[][] {
  if (Array.isArray(v)) for (const x of v) namePaths(x, names, out);
  else if (typeof v === "object" && v !== null) {
    out.push(names);
    for (const k of Object.keys(v)) namePaths((v as JsonObject)[k], [...names, k], out);
  }
  return out;
}

describe("builtinMaps (cached steps) against re-reading type expressions", () => {
  it.each(KINDS)("$name", ({ model, make }) => {
    const fast = builtinMaps(catalog, model);
    const reference = referenceBuiltinMaps(catalog, model);
    const rnd = seeded(11);
    for (let i = 0; i < 30; i++) {
      for (const names of namePaths(mutated(rnd, make(i), 4), [], [])) expect([names, fast(names)]).toEqual([names, reference(names)]);
    }
  });
});

const MANAGERS = ["kubectl", "kube-controller-manager", "kubelet", "kube-scheduler"];

function optionsFor(rnd: Random, model: string | undefined, old: JsonObject | undefined): RecordOptions {
  const keyedLists = model !== undefined;
  const isMap: MapPredicate | undefined = model ? builtinMaps(catalog, model) : pick(rnd, [customMaps, undefined]);
  return { old, manager: pick(rnd, MANAGERS), apiVersion: "v1", time: `2025-01-01T00:00:0${Math.floor(rnd() * 10)}Z`, keyedLists, subresource: rnd() < 0.3 ? "status" : undefined, isMap };
}

describe("recordUpdate (diff walk, stored FieldsV1 kept) against fieldsOf + valueAt per path", () => {
  const cases = [...KINDS, { name: "custom", model: undefined, make: pod }].flatMap((k) => SEEDS.map((seed) => ({ ...k, seed })));
  it.each(cases)("$name #$seed", ({ model, make, seed }) => {
    const rnd = seeded(seed * 104729);
    let old: JsonObject | undefined;
    let obj = make(seed);
    for (let step = 0; step < 6; step++) {
      const options = optionsFor(rnd, model, old);
      const reference = stored(obj);
      const fast = stored(obj);
      referenceRecordUpdate(reference, options);
      recordUpdate(fast, options);
      expect(text(fast)).toBe(text(reference));
      old = stored(reference);
      if (rnd() < 0.3) scrambleManaged(rnd, old);
      obj = mutated(rnd, old, Math.floor(rnd() * 4));
    }
  });

  // Objects whose FieldsV1 key order is not plain key order, or whose paths are ambiguous.
  const awkward: [string, JsonObject, JsonObject][] = [
    ["a key prefixing another, tab after the prefix", { ...pod(1), spec: { nodeSelector: { a: "1", "a\tb": "2" }, x: { a: { q: 1 }, "a\tb": 1 } } }, { ...pod(1), spec: { x: { a: { q: 2 }, "a\tb": 1, "a-b": 3 } } }],
    ["a key prefixing another, both objects", { ...pod(1), spec: { port: { a: 1 }, ports: { b: 1 } } }, { ...pod(1), spec: { port: { a: 1, c: 1 }, ports: { b: 2 } } }],
    ["a newline in a field name", { ...pod(1), metadata: { name: "p", labels: { "a\nf:b": "x", a: "y" } } }, { ...pod(1), metadata: { name: "p", labels: { "a\nf:b": "z", a: "y" } } }],
    ["duplicate keyed items of different shapes", { ...pod(1), spec: { containers: [{ name: "a", image: "x" }, { name: "a", image: { y: 1 } }] } }, { ...pod(1), spec: { containers: [{ name: "a", image: "z" }, { name: "a", image: { y: 2 } }] } }],
  ];
  it.each(awkward)("%s", (_name, first, second) => {
    const create = { old: undefined, manager: "a", apiVersion: "v1", time: "t1", keyedLists: true, isMap: builtinMaps(catalog, "V1Pod") };
    const reference = stored(first);
    const fast = stored(first);
    referenceRecordUpdate(reference, create);
    recordUpdate(fast, create);
    expect(text(fast)).toBe(text(reference));
    for (const manager of ["a", "b"]) {
      const update = { ...create, old: stored(reference), manager, time: "t2" };
      const r2 = stored({ ...second, metadata: { ...(second.metadata as JsonObject), managedFields: (reference.metadata as JsonObject).managedFields } });
      const f2 = stored(r2);
      referenceRecordUpdate(r2, update);
      recordUpdate(f2, update);
      expect(text(f2)).toBe(text(r2));
    }
  });

  it.each(cases.filter((c) => c.seed <= 10))("diffFields $name #$seed", ({ model, make, seed }) => {
    const rnd = seeded(seed);
    const old = mutated(rnd, make(seed), 2);
    const obj = mutated(rnd, old, 3);
    const options = { keyedLists: model !== undefined, isMap: model ? builtinMaps(catalog, model) : customMaps };
    const got = diffFields(obj, old, options);
    const want = referenceDiff(obj, old, options);
    // A "\n" in a field name makes path strings ambiguous; recordUpdate then reads them as before.
    if (got.splits) return;
    expect([...pathsOf(got.root, () => true)].sort()).toEqual([...want.current].sort());
    expect([...pathsOf(got.root, (n) => n.changed)].sort()).toEqual([...want.changed].sort());
    expect(got.changes).toBe(want.changed.size);
  });
});

describe("isCanonicalFieldsV1", () => {
  const inputs: [string, unknown, boolean][] = [
    ["as toFieldsV1 writes it", toFieldsV1(new Set(["f:spec\nf:a", "f:spec\nf:b\n.", "f:metadata\nf:labels\nf:x", 'f:spec\nk:{"name":"a"}\nf:image'])), true],
    ["keys out of order", { "f:spec": {}, "f:metadata": {} }, false],
    ["a non-object node", { "f:spec": { "f:a": true } }, false],
    ["a key with a newline", { "f:a\nf:b": {} }, false],
    ["an own __proto__ key", JSON.parse('{"__proto__":{}}'), false],
    ["empty", {}, true],
    ["not an object", "x", false],
    // JavaScript enumerates integer-like keys first: judged out of order (kept safe, rebuilt).
    ["integer-like keys", { "0": {}, "10": {}, "9": {} }, false],
    ["a key, then a longer key it prefixes (leaf first)", { "f:a": {}, "f:a-b": {} }, true],
    ["a key with children, then a longer key it prefixes", { "f:a": { "f:z": {} }, "f:a-b": {} }, true],
    ["a longer key, then a leaf key that prefixes it", { "f:a-b": {}, "f:a": {} }, false],
    ["a longer key, then a key with children that prefixes it", { "f:a-b": {}, "f:a": { "f:z": {} } }, false],
    ["a tab after a prefix sorts before the newline", { "f:a\tb": {}, "f:a": { "f:z": {} } }, true],
  ];
  it.each(inputs)("%s", (_name, input, canonical) => {
    expect(isCanonicalFieldsV1(input)).toBe(canonical);
    // Canonical means exactly what toFieldsV1 writes back from the leaves.
    if (canonical) expect(text(toFieldsV1(fromFieldsV1(input)))).toBe(text(input));
  });

  it.each(SEEDS)("random set #%s: canonical once written, unless a path prefixes another", (seed) => {
    const rnd = seeded(seed);
    const els = ["f:a", "f:b", "f:a-b", "f:a\tb", ".", 'k:{"name":"x"}', 'v:"y"', "f:0", "f:10"];
    const set = new Set(Array.from({ length: 8 }, () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(rnd, els)).join("\n")));
    const tree = toFieldsV1(set);
    const prefixFree = [...set].every((p) => ![...set].some((q) => q.startsWith(`${p}\n`)));
    if (prefixFree) expect(isCanonicalFieldsV1(stored(tree))).toBe(true);
    expect(isCanonicalFieldsV1(stored(tree))).toBe(text(toFieldsV1(fromFieldsV1(tree))) === text(tree));
  });

  it.each(SEEDS)("random tree #%s: canonical exactly when it survives the round trip", (seed) => {
    const rnd = seeded(seed * 31);
    const keys = ["f:a", "f:b", "f:a-b", "f:a\tb", ".", "f:0", "f:10", "f:9"];
    const tree = (depth: number): JsonObject => {
      const out: JsonObject = {};
      if (depth < 3) for (let i = Math.floor(rnd() * 3); i > 0; i--) out[pick(rnd, keys)] = tree(depth + 1);
      return out;
    };
    const input = tree(0);
    expect(isCanonicalFieldsV1(input)).toBe(text(toFieldsV1(fromFieldsV1(input))) === text(input));
  });
});

describe("generator", () => {
  it("writes an own __proto__ key as JSON.parse does", () => {
    const o: JsonObject = {};
    defineKey(o, "__proto__", { a: 1 });
    expect(text(o)).toBe('{"__proto__":{"a":1}}');
  });
});
