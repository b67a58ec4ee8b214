import { describe, expect, it } from "vitest";
import { parseIndex } from "../../repo/indexFile.js";
import { SearchIndex } from "../../repo/search.js";

const DIGEST = "c".repeat(64);
function index(charts: { name: string; versions: string[]; description?: string; keywords?: string[] }[]) {
  const lines = ["apiVersion: v1", "entries:"];
  for (const c of charts) {
    lines.push(`  ${c.name}:`);
    for (const v of c.versions) {
      lines.push(`  - name: ${c.name}`, `    version: ${v}`, `    appVersion: "app-${v}"`, `    urls: [${c.name}-${v}.tgz]`, `    digest: ${DIGEST}`);
      if (c.description) lines.push(`    description: ${c.description}`);
      if (c.keywords) lines.push(`    keywords: [${c.keywords.join(", ")}]`);
    }
  }
  return parseIndex(lines.join("\n") + "\n", "index.yaml");
}

const search = new SearchIndex([
  {
    repo: "stable",
    index: index([
      { name: "nginx", versions: ["1.0.0", "1.2.0", "2.0.0-rc.1"], description: "Web server", keywords: ["http", "proxy"] },
      { name: "redis", versions: ["5.0.0"], description: "Key-value store with an nginx-free design" },
      { name: "cache", versions: ["0.1.0"], description: "Caching", keywords: ["NGINX"] },
    ]),
  },
  { repo: "other", index: index([{ name: "nginx", versions: ["0.9.0"], description: "Fork" }]) },
]);

describe("search repo", () => {
  const cases: [string, Parameters<SearchIndex["search"]>[0], string[]][] = [
    ["name matches first, then description, then keywords", { keyword: "nginx" }, ["other/nginx@0.9.0", "stable/nginx@1.2.0", "stable/redis@5.0.0", "stable/cache@0.1.0"]],
    ["case-insensitive", { keyword: "WEB" }, ["stable/nginx@1.2.0"]],
    ["by keyword", { keyword: "proxy" }, ["stable/nginx@1.2.0"]],
    ["by repo prefix", { keyword: "other/" }, ["other/nginx@0.9.0"]],
    ["no keyword lists all, sorted", {}, ["other/nginx@0.9.0", "stable/cache@0.1.0", "stable/nginx@1.2.0", "stable/redis@5.0.0"]],
    ["no match", { keyword: "postgres" }, []],
    ["--versions", { keyword: "stable/nginx", versions: true }, ["stable/nginx@1.2.0", "stable/nginx@1.0.0"]],
    ["--version constraint", { keyword: "stable/nginx", version: "<1.2" }, ["stable/nginx@1.0.0"]],
    ["prerelease only when asked", { keyword: "stable/nginx", version: ">=2.0.0-0" }, ["stable/nginx@2.0.0-rc.1"]],
    ["Masterminds comma AND", { keyword: "stable/nginx", version: ">=1.0.0, <1.1.0", versions: true }, ["stable/nginx@1.0.0"]],
  ];
  it.each(cases)("%s", (_name, options, expected) => {
    expect(search.search(options).map((r) => `${r.name}@${r.version}`)).toEqual(expected);
  });

  it("reports Helm's columns", () => {
    expect(search.search({ keyword: "redis" })[0]).toMatchObject({ name: "stable/redis", version: "5.0.0", appVersion: "app-5.0.0", description: "Key-value store with an nginx-free design" });
  });

  it("refuses a bad constraint", () => {
    expect(() => search.search({ version: "not a range!" })).toThrow(/--version: "not a range!" is not a valid version constraint/);
  });
});
