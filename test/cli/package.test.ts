import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectCleanFailure, runBerth } from "../helpers/cli.js";
import { chartYaml, FIXTURES, tempDirs, writeChartFolder } from "../charts/loader/chartBuilder.js";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const basic = path.join(FIXTURES, "basic");
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("berth package", () => {
  it("writes NAME-VERSION.tgz to -d and says where, like helm", async () => {
    const out = await dirs.make();
    const result = await runBerth(["package", basic, "-d", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Successfully packaged chart and saved it to: ${path.join(out, "basic-0.1.0.tgz")}\n`);
    expect(await readdir(out)).toEqual(["basic-0.1.0.tgz"]);
  });

  it("writes to the current folder by default", async () => {
    const cwd = await dirs.make();
    const result = await runBerth(["package", basic], { cwd });
    expect(result.code).toBe(0);
    expect(await readdir(cwd)).toEqual(["basic-0.1.0.tgz"]);
  });

  it("produces the same bytes on every run", async () => {
    const [a, b] = [await dirs.make(), await dirs.make()];
    expect((await runBerth(["package", basic, "-d", a])).code).toBe(0);
    expect((await runBerth(["package", basic, "-d", b])).code).toBe(0);
    const first = await readFile(path.join(a, "basic-0.1.0.tgz"));
    const second = await readFile(path.join(b, "basic-0.1.0.tgz"));
    expect(sha256(second)).toBe(sha256(first));
  });

  it("prints the result as JSON with -o json", async () => {
    const out = await dirs.make();
    const result = await runBerth(["package", basic, "-d", out, "-o", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ name: "basic", version: "0.1.0", path: path.join(out, "basic-0.1.0.tgz") });
  });

  it("fails cleanly on a missing chart", async () => {
    const result = await runBerth(["package", "./foo", "-d", await dirs.make()]);
    expectCleanFailure(result);
    expect(result.stderr).toBe("Error: chart folder not found: ./foo (berth package takes a chart folder)\n");
  });

  it("fails cleanly on a broken Chart.yaml and writes nothing", async () => {
    const out = await dirs.make();
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml({ type: "plugin" }) } });
    const result = await runBerth(["package", dir, "-d", out]);
    expectCleanFailure(result);
    expect(result.stderr).toBe(`Error: ${dir}/Chart.yaml:4: type: expected "application" or "library", got "plugin"\n`);
    expect(await readdir(out)).toEqual([]);
  });

  it("fails cleanly on broken YAML in values.yaml", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml(), "values.yaml": "a: [1,\n" } });
    await writeFile(path.join(dir, "README.md"), "x");
    const result = await runBerth(["package", dir, "-d", await dirs.make()]);
    expectCleanFailure(result);
    expect(result.stderr).toMatch(new RegExp(`^Error: ${dir}/values\\.yaml:\\d+:\\d+: `));
  });
});
