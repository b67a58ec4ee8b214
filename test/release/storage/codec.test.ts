import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { recordAnnotations, recordLabels, summaryFromMetadata } from "../../../release/storage/codec.js";
import { decodeRelease, encodeRelease, recordName, ReleaseRecordError } from "../../../release/storage/index.js";
import { summarize } from "../../../release/summary.js";
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

describe("list summaries from a record's metadata", () => {
  it("labels + annotations give back what summarize() gives", () => {
    const r = buildRelease({ name: "web", version: 3, status: "failed" });
    expect(summaryFromMetadata({ namespace: r.namespace, labels: recordLabels(r), annotations: recordAnnotations(r) })).toEqual(summarize(r));
  });

  it.each([
    ["no annotations (a record written before them)", { labels: { name: "web", version: "1", status: "deployed" } }],
    ["a status label edited by hand", { labels: { name: "web", version: "1", status: "gone" }, annotations: { "berth.dev/chart": "c-1", "berth.dev/updated": "t" } }],
    ["no version label", { labels: { name: "web", status: "deployed" }, annotations: { "berth.dev/chart": "c-1", "berth.dev/updated": "t" } }],
  ])("%s: undefined, so the payload is decoded instead", (_label, meta) => {
    expect(summaryFromMetadata({ namespace: "default", ...meta })).toBeUndefined();
  });
});
