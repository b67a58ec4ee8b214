import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectCleanFailure, runBerth } from "../helpers/cli.js";
import { expectGolden } from "../helpers/golden.js";
import { chartEntries, tgz } from "../charts/loader/archiveBuilder.js";
import { chartYaml, FIXTURES, tempDirs, writeChartFolder } from "../charts/loader/chartBuilder.js";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const basic = path.join(FIXTURES, "basic");

describe("berth show", () => {
  it.each(["chart", "values", "readme", "crds", "all"])("show %s prints the files as written", async (part) => {
    const result = await runBerth(["show", part, basic]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    await expectGolden(`show/${part}.txt`, result.stdout);
  });

  it("reads archives the same way as folders", async () => {
    const out = await dirs.make();
    const packaged = await runBerth(["package", basic, "-d", out]);
    expect(packaged.code).toBe(0);
    const fromArchive = await runBerth(["show", "all", path.join(out, "basic-0.1.0.tgz")]);
    const fromFolder = await runBerth(["show", "all", basic]);
    expect(fromArchive.code).toBe(0);
    expect(fromArchive.stdout).toBe(fromFolder.stdout);
  });

  it("prints Chart.yaml as JSON with -o json", async () => {
    const result = await runBerth(["show", "chart", basic, "-o", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ apiVersion: "v2", name: "basic", version: "0.1.0" });
  });

  it("fails cleanly on a missing chart", async () => {
    const result = await runBerth(["show", "chart", "./foo"]);
    expectCleanFailure(result);
    expect(result.stderr).toBe("Error: chart not found: ./foo (expected a chart folder or a .tgz archive)\n");
  });

  it("fails cleanly on a broken Chart.yaml, naming the line", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml({ version: '"1.x"' }) } });
    const result = await runBerth(["show", "values", dir]);
    expectCleanFailure(result);
    expect(result.stderr).toBe(`Error: ${dir}/Chart.yaml:3: version: "1.x" is not a valid SemVer 2 version\n`);
  });

  it("fails cleanly on a hostile archive", async () => {
    const file = path.join(await dirs.make(), "evil-0.1.0.tgz");
    await writeFile(file, tgz(chartEntries("evil", [{ path: "evil/../../etc/passwd", body: "x" }])));
    const result = await runBerth(["show", "chart", file]);
    expectCleanFailure(result);
    expect(result.stderr).toBe(`Error: ${file}: entry "evil/../../etc/passwd": path escapes the chart\n`);
  });
});
