import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDependencies, listDependencies, updateDependencies } from "../../../charts/dependency/index.js";
import { templateChart, formatTemplateOutput } from "../../../charts/templateAction.js";
import { addRepository } from "../../../repo/client.js";
import type { RepoPaths } from "../../../repo/paths.js";
import { makeTempDir, writeFiles } from "../../helpers/tmp.js";
import { configMapTemplate, packageSpec, serveCharts, snapshot, tempRepoPaths, unreachableUrl, type ServedRepo } from "../../repo/fixtures.js";

let served: ServedRepo;
beforeAll(async () => {
  served = await serveCharts([
    { name: "sub", version: "1.0.0", files: configMapTemplate("sub") },
    { name: "sub", version: "1.1.0", files: configMapTemplate("sub") },
    { name: "sub", version: "2.0.0", files: configMapTemplate("sub") },
  ]);
});
afterAll(() => served.server.close());

async function setup(deps: string, extra: Record<string, string> = {}): Promise<{ chart: string; paths: RepoPaths }> {
  const paths = await tempRepoPaths();
  await addRepository({ name: "demo", url: served.url }, { paths });
  const chart = path.join(await makeTempDir(), "parent");
  await writeFiles(chart, { "Chart.yaml": `apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n${deps}`, "values.yaml": "", ...extra });
  return { chart, paths };
}

const dep = (name: string, version: string, repository: string) => `- name: ${name}\n  version: "${version}"\n  repository: "${repository}"\n`;

describe("dependency update", () => {
  it("resolves @repo to the newest matching version, writes Chart.lock and charts/, and is idempotent", async () => {
    const { chart, paths } = await setup(dep("sub", "^1.0.0", "@demo"));
    const result = await updateDependencies(chart, { paths });
    expect(result.lock.dependencies).toEqual([{ name: "sub", version: "1.1.0", repository: served.url }]);
    expect(result.saved).toEqual(["sub-1.1.0.tgz"]);
    const lockText = await readFile(path.join(chart, "Chart.lock"), "utf8");
    expect(lockText).toMatch(/^dependencies:\n- name: sub\n {2}repository: http:\/\/127\.0\.0\.1:\d+\/\n {2}version: 1\.1\.0\ndigest: sha256:[0-9a-f]{64}\ngenerated: ".+"\n$/);
    const before = await snapshot(chart);
    expect((await updateDependencies(chart, { paths })).lockWritten).toBe(false);
    expect(await snapshot(chart)).toEqual(before);
  });

  it("takes alias:NAME and a configured URL alike, and an unconfigured URL without caching its index", async () => {
    for (const repository of ["alias:demo", served.url]) {
      const { chart, paths } = await setup(dep("sub", "~1.0", repository));
      expect((await updateDependencies(chart, { paths })).lock.dependencies[0]?.version).toBe("1.0.0");
    }
    const paths = await tempRepoPaths();
    const chart = path.join(await makeTempDir(), "parent");
    await writeFiles(chart, { "Chart.yaml": `apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n${dep("sub", "2.x", served.url)}` });
    expect((await updateDependencies(chart, { paths })).saved).toEqual(["sub-2.0.0.tgz"]);
    expect([...(await snapshot(paths.cacheHome)).keys()].some((k) => k.endsWith("-index.yaml"))).toBe(false);
  });

  it("packages a file:// folder and renders it and the repository subchart with their values", async () => {
    const { chart, paths } = await setup(dep("sub", "^1", "@demo") + dep("local", ">=0.1.0", "file://../local"), {
      "values.yaml": "sub:\n  greeting: from-parent\n",
    });
    await writeFiles(path.join(path.dirname(chart), "local"), {
      "Chart.yaml": "apiVersion: v2\nname: local\nversion: 0.2.0\n",
      ...configMapTemplate("local"),
    });
    const result = await updateDependencies(chart, { paths });
    expect(result.saved).toEqual(["local-0.2.0.tgz", "sub-1.1.0.tgz"]);
    expect(result.lock.dependencies[1]).toEqual({ name: "local", version: "0.2.0", repository: "file://../local" });
    const out = formatTemplateOutput(await templateChart({ chartPath: chart, releaseName: "r", namespace: "default", userValues: {} }));
    expect(out).toContain("# Source: parent/charts/sub/templates/cm.yaml");
    expect(out).toContain('greeting: "from-parent"');
    expect(out).toContain("# Source: parent/charts/local/templates/cm.yaml");
    expect(out).toContain('greeting: "hello"');
  });

  it("replaces the archives it put in charts/ and leaves the user's own", async () => {
    const { chart, paths } = await setup(dep("sub", "^1", "@demo"));
    await updateDependencies(chart, { paths });
    await packageSpec({ name: "mine", version: "1.0.0" }, path.join(chart, "charts"));
    await writeFile(path.join(chart, "Chart.yaml"), `apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n${dep("sub", "^2", "@demo")}`);
    const result = await updateDependencies(chart, { paths });
    expect(result.removed).toEqual(["sub-1.1.0.tgz"]);
    expect((await snapshot(path.join(chart, "charts"))).size).toBe(2);
    expect([...(await snapshot(path.join(chart, "charts"))).keys()].sort()).toEqual(["mine-1.0.0.tgz", "sub-2.0.0.tgz"]);
  });

  const failures: [string, () => Promise<string>, RegExp][] = [
    ["a range nothing satisfies", async () => dep("sub", "^9", "@demo"), /dependencies\[0\] \(sub\): no version of sub in http:\S+ satisfies "\^9"/],
    ["an unknown repository name", async () => dep("sub", "^1", "@nope"), /dependencies\[0\] \(sub\): repository @nope: no repository named "nope"/],
    ["an unreachable repository", async () => dep("sub", "^1", await unreachableUrl()), /unreachable/],
    ["a chart the repository lacks", async () => dep("nothere", "^1", "@demo"), /chart "nothere" not found in repository/],
    ["a missing file:// folder", async () => dep("x", "^1", "file://../missing"), /folder .*missing not found/],
  ];
  it.each(failures)("leaves charts/ and Chart.lock byte-identical on %s", async (_name, deps, message) => {
    const { chart, paths } = await setup(dep("sub", "^1", "@demo"));
    await updateDependencies(chart, { paths });
    await writeFile(path.join(chart, "Chart.yaml"), `apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n${await deps()}`);
    const before = await snapshot(chart);
    await expect(updateDependencies(chart, { paths })).rejects.toThrow(message);
    expect(await snapshot(chart)).toEqual(before);
  });

  it("refuses a tampered archive and changes nothing", async () => {
    const repo = await serveCharts([{ name: "sub", version: "1.0.0" }]);
    const paths = await tempRepoPaths();
    await addRepository({ name: "t", url: repo.url }, { paths });
    const chart = path.join(await makeTempDir(), "parent");
    await writeFiles(chart, { "Chart.yaml": `apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n${dep("sub", "1.0.0", "@t")}` });
    await packageSpec({ name: "sub", version: "1.0.0", description: "evil twin" }, repo.dir);
    const before = await snapshot(chart);
    const cacheBefore = await snapshot(path.join(paths.cacheHome, "repository", "charts"));
    await expect(updateDependencies(chart, { paths })).rejects.toThrow(/digest mismatch/);
    expect(await snapshot(chart)).toEqual(before);
    expect(await snapshot(path.join(paths.cacheHome, "repository", "charts"))).toEqual(cacheBefore);
    await repo.server.close();
  });
});

describe("dependency build", () => {
  it("restores exactly the locked versions, even when newer ones match", async () => {
    const { chart, paths } = await setup(dep("sub", ">=1.0.0", "@demo"));
    await writeFile(path.join(chart, "Chart.yaml"), `apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n${dep("sub", "~1.0", "@demo")}`);
    await updateDependencies(chart, { paths });
    // Widen nothing: rebuild from the lock after charts/ is lost.
    await rm(path.join(chart, "charts"), { recursive: true });
    const result = await buildDependencies(chart, { paths });
    expect(result.saved).toEqual(["sub-1.0.0.tgz"]);
  });

  it("refuses a lock that is out of date with Chart.yaml, changing nothing", async () => {
    const { chart, paths } = await setup(dep("sub", "~1.0", "@demo"));
    await updateDependencies(chart, { paths });
    await writeFile(path.join(chart, "Chart.yaml"), `apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n${dep("sub", "^2", "@demo")}`);
    const before = await snapshot(chart);
    await expect(buildDependencies(chart, { paths })).rejects.toThrow(/Chart\.lock is out of sync with Chart\.yaml/);
    expect(await snapshot(chart)).toEqual(before);
  });

  it("without a lock behaves like update", async () => {
    const { chart, paths } = await setup(dep("sub", "^1", "@demo"));
    expect((await buildDependencies(chart, { paths })).lockWritten).toBe(true);
  });
});

describe("dependency list", () => {
  it("reports ok, missing, wrong version, unpacked and corrupt", async () => {
    const deps = dep("sub", "^1", "@demo") + dep("gone", "^1", "@demo") + dep("old", "^2", "@demo") + dep("open", "^1", "") + dep("bad", "^1", "@demo");
    const { chart } = await setup(deps);
    const charts = path.join(chart, "charts");
    await packageSpec({ name: "sub", version: "1.5.0" }, charts);
    await packageSpec({ name: "old", version: "1.0.0" }, charts);
    await writeFiles(path.join(charts, "open"), { "Chart.yaml": "apiVersion: v2\nname: open\nversion: 1.0.0\n" });
    await mkdir(charts, { recursive: true });
    await writeFile(path.join(charts, "bad-1.0.0.tgz"), "not gzip");
    const rows = await listDependencies(chart);
    expect(rows.map((r) => [r.name, r.status])).toEqual([
      ["sub", "ok"],
      ["gone", "missing"],
      ["old", "wrong version"],
      ["open", "unpacked"],
      ["bad", "corrupt"],
    ]);
    expect(rows[0]).toEqual({ name: "sub", version: "^1", repository: "@demo", status: "ok" });
  });
});
