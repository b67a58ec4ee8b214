import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeRelease, encodeRelease, recordName, ReleaseRecordError } from "../../../release/storage/index.js";
import { buildRelease } from "../fixtures.js";

describe("release record codec", () => {
  it("round-trips and drops storageVersion", () => {
    const r = { ...buildRelease({ config: { x: "é" } }), storageVersion: "42" };
    const { storageVersion: _s, ...payload } = r;
    expect(decodeRelease(encodeRelease(r), "t")).toEqual(payload);
  });

  it("names records like DESIGN.md", () => {
    expect(recordName("web", 12)).toBe("berth.release.v1.web.v12");
  });

  it.each([
    ["not base64 gzip", "%%%"],
    ["gzip of non-JSON", gzipSync("nope").toString("base64")],
    ["JSON without the fields", gzipSync(JSON.stringify({ name: "x" })).toString("base64")],
  ])("%s is a ReleaseRecordError naming where", (_label, text) => {
    const err = (() => {
      try {
        return decodeRelease(text, "secret default/x");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ReleaseRecordError);
    expect(String(err)).toContain("secret default/x");
  });
});
