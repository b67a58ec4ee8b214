import { describe, expect, it } from "vitest";
import { decodeEvent, decodeKv, encodeEvent, encodeKv } from "../../../../orchestrator/store/embedded/codec.js";

describe("log and snapshot codec", () => {
  it.each([
    { type: "put" as const, key: "/registry/pods/ns/a", value: '{"k":"ünïcode ✓"}', revision: 1 },
    { type: "put" as const, key: "/k", value: "", revision: 2 ** 40 },
    { type: "delete" as const, key: "/registry/x", value: "", revision: 77 },
  ])("round-trips a $type at revision $revision", ({ type, key, value, revision }) => {
    const kv = { key, value, createRevision: 0, modRevision: revision, version: 0 };
    expect(decodeEvent(encodeEvent({ type, kv }))).toEqual({ type, revision, key, value });
  });

  it("round-trips a snapshot key-value", () => {
    const kv = { key: "/a/ß", value: "v\u0000w", createRevision: 3, modRevision: 9, version: 4 };
    expect(decodeKv(encodeKv(kv))).toEqual(kv);
  });

  it.each([
    { name: "too short", payload: Buffer.alloc(4), problem: "record too short (4 bytes)" },
    { name: "unknown type", payload: Buffer.alloc(11, 9), problem: "unknown record type 9" },
    { name: "key overrun", payload: Buffer.from([1, 1, 0, 0, 0, 0, 0, 200, 0, 0, 0]), problem: "key length 200 overruns the record" },
  ])("reports a payload that does not parse: $name", ({ payload, problem }) => {
    expect(decodeEvent(payload)).toBe(problem);
  });
});
