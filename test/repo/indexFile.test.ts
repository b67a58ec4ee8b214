import { describe, expect, it } from "vitest";
import { findVersion, parseIndex, serializeIndex } from "../../repo/indexFile.js";

const DIGEST = "a".repeat(64);
const entry = (version: string, extra = ""): string =>
  `  - name: web\n    version: ${version}\n    urls: [web-${version}.tgz]\n    digest: ${DIGEST}\n${extra}`;

describe("parseIndex", () => {
  it("reads entries and sorts each chart's versions newest first", () => {
    const index = parseIndex(`apiVersion: v1\nentries:\n  web:\n${entry("1.2.0")}${entry("1.10.0")}${entry("1.9.0-rc.1")}`, "index.yaml");
    expect(index.entries.get("web")?.map((v) => v.version)).toEqual(["1.10.0", "1.9.0-rc.1", "1.2.0"]);
  });

  it("accepts an index without entries and a sha256: prefix on digests", () => {
    expect(parseIndex("apiVersion: v1\n", "i").entries.size).toBe(0);
    const index = parseIndex(`apiVersion: v1\nentries:\n  web:\n  - name: web\n    version: 1.0.0\n    urls: [x.tgz]\n    digest: sha256:${DIGEST}\n`, "i");
    expect(index.entries.get("web")?.[0]?.digest).toBe(DIGEST);
  });

  const bad: [string, string, RegExp][] = [
    ["bad YAML", "apiVersion: v1\nentries: [\n", /^malformed index: index\.yaml:\d+: /],
    ["not a map", "- 1\n", /expected a map with apiVersion and entries, got a list/],
    ["no apiVersion", "entries: {}\n", /apiVersion: expected "v1", got (nothing|undefined|null)/],
    ["entries a list", "apiVersion: v1\nentries: [1]\n", /entries: expected a map of chart names/],
    ["versions not a list", "apiVersion: v1\nentries:\n  web: 3\n", /entries\.web: expected a list of versions/],
    ["missing version", `apiVersion: v1\nentries:\n  web:\n  - name: web\n    urls: [x]\n    digest: ${DIGEST}\n`, /entries\.web\[0\]\.version: missing/],
    ["bad version", `apiVersion: v1\nentries:\n  web:\n${entry("latest")}`, /entries\.web\[0\]\.version: "latest" is not a SemVer version/],
    ["name mismatch", `apiVersion: v1\nentries:\n  api:\n${entry("1.0.0")}`, /entries\.api\[0\]\.name: expected "api"/],
    ["no urls", `apiVersion: v1\nentries:\n  web:\n  - name: web\n    version: 1.0.0\n    digest: ${DIGEST}\n`, /entries\.web\[0\]\.urls: expected a non-empty list of URLs/],
    ["missing digest", "apiVersion: v1\nentries:\n  web:\n  - name: web\n    version: 1.0.0\n    urls: [x]\n", /entries\.web\[0\]\.digest: missing/],
    ["short digest", "apiVersion: v1\nentries:\n  web:\n  - name: web\n    version: 1.0.0\n    urls: [x]\n    digest: abc\n", /digest: expected a sha256 hex digest, got "abc"/],
    ["keywords not strings", `apiVersion: v1\nentries:\n  web:\n${entry("1.0.0", "    keywords: [1, {a: b}]\n")}`, /keywords: expected a list of strings/],
    ["alias bomb", "apiVersion: v1\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n", /^malformed index: index\.yaml/],
  ];
  it.each(bad)("refuses %s with a message naming the index and field", (_name, text, message) => {
    expect(() => parseIndex(text, "index.yaml")).toThrow(message);
  });
});

describe("serializeIndex", () => {
  it("writes Helm's layout (sorted keys) and reads back the same", () => {
    const text = `apiVersion: v1\nentries:\n  web:\n${entry("1.0.0", "    description: Web\n")}generated: "2024-01-01T00:00:00Z"\n`;
    const out = serializeIndex(parseIndex(text, "i"));
    expect(out).toBe(
      `apiVersion: v1\nentries:\n  web:\n  - description: Web\n    digest: ${DIGEST}\n    name: web\n    urls:\n    - web-1.0.0.tgz\n    version: 1.0.0\ngenerated: "2024-01-01T00:00:00Z"\n`,
    );
    expect(serializeIndex(parseIndex(out, "i"))).toBe(out);
  });
});

describe("findVersion", () => {
  const index = parseIndex(`apiVersion: v1\nentries:\n  web:\n${entry("1.0.0")}${entry("1.1.0")}${entry("2.0.0-beta.1")}`, "i");
  const cases: [string | undefined, string | undefined][] = [
    [undefined, "1.1.0"],
    ["", "1.1.0"],
    ["~1.0", "1.0.0"],
    [">=1.0.0, <1.1.0", "1.0.0"],
    [">=2.0.0-0", "2.0.0-beta.1"],
    [">0.0.0-0", "2.0.0-beta.1"], // --devel: every prerelease counts, as in Helm
    ["^3", undefined],
  ];
  it.each(cases)("constraint %s → %s", (constraint, expected) => {
    expect(findVersion(index, "web", constraint)?.version).toBe(expected);
  });
});
