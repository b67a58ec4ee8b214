import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ChartError, NotFoundError, ValuesError } from "../../../core/errors.js";
import { loadChart } from "../../../charts/loader/index.js";
import { packageChart } from "../../../charts/package/index.js";
import { chartYaml, FIXTURES, tempDirs, writeChartFolder } from "./chartBuilder.js";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const paths = (files: { path: string }[]) => files.map((f) => f.path);

describe("loadChart from a folder", () => {
  it("loads every part of the basic fixture", async () => {
    const chart = await loadChart(path.join(FIXTURES, "basic"));
    expect(chart.metadata).toMatchObject({ name: "basic", version: "0.1.0", appVersion: "1.16.0", type: "application" });
    expect(chart.metadataText).toContain("someFutureField: true");
    expect(chart.values).toEqual({ replicaCount: 2, image: { repository: "nginx", tag: "1.27" }, sub: { enabled: true } });
    expect(chart.valuesText.startsWith("# Default values for basic.\n")).toBe(true);
    expect(chart.schema).toMatchObject({ type: "object" });
    expect(paths(chart.templates)).toEqual(["templates/NOTES.txt", "templates/_helpers.tpl", "templates/deployment.yaml"]);
    expect(paths(chart.crds)).toEqual(["crds/widget.yaml"]);
    expect(paths(chart.files)).toEqual([".helmignore", "README.md", "config/app.ini", "crds/widget.yaml"]);
    expect(chart.dependencies.map((d) => d.metadata.name)).toEqual(["sub"]);
    expect(chart.dependencies[0].values).toEqual({ greeting: "hello" });
    expect(paths(chart.dependencies[0].templates)).toEqual(["templates/configmap.yaml"]);
  });

  it("honours .helmignore and ignores dotfiles under templates/", async () => {
    const chart = await loadChart(path.join(FIXTURES, "basic"));
    const all = [...paths(chart.files), ...paths(chart.templates)];
    expect(all).not.toContain("values.yaml.bak");
    expect(all).not.toContain("secret/token");
    expect(all).not.toContain("templates/.deployment.yaml.swp");
  });

  it.each([
    ["*.txt", ["a.yaml", "sub/b.yaml"]],
    ["/sub/", ["a.yaml", "notes.txt"]],
    ["sub/*.yaml", ["a.yaml", "notes.txt"]],
    ["*.yaml\n*.txt\n!Chart.yaml\n!a.yaml", ["a.yaml"]],
    ["  notes.txt   ", ["a.yaml", "sub/b.yaml"]],
  ])("applies .helmignore rules %j", async (rules, kept) => {
    const dir = await writeChartFolder(await dirs.make(), {
      files: { "Chart.yaml": chartYaml(), ".helmignore": rules, "a.yaml": "", "notes.txt": "", "sub/b.yaml": "" },
    });
    const chart = await loadChart(dir);
    expect(paths(chart.files).filter((p) => p !== ".helmignore")).toEqual(kept);
  });

  it("rejects ** in .helmignore like Helm", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml(), ".helmignore": "# c\n**/tmp\n" } });
    await expect(loadChart(dir)).rejects.toThrow(`${dir}/.helmignore:2: "**/tmp": "**" is not supported in .helmignore`);
  });

  it("loads subcharts packaged as .tgz in charts/, recursively", async () => {
    const parent = await dirs.make();
    const leaf = await writeChartFolder(parent, { name: "leaf", files: { "Chart.yaml": chartYaml({ name: "leaf", version: "3.0.0" }) } });
    const mid = await writeChartFolder(parent, { name: "mid", files: { "Chart.yaml": chartYaml({ name: "mid", version: "2.0.0" }) } });
    await packageChart(leaf, { destination: path.join(mid, "charts") });
    const top = await writeChartFolder(parent, { name: "top", files: { "Chart.yaml": chartYaml({ name: "top" }) } });
    await packageChart(mid, { destination: path.join(top, "charts") });
    const chart = await loadChart(top);
    expect(chart.dependencies.map((d) => d.metadata.name)).toEqual(["mid"]);
    expect(chart.dependencies[0].dependencies.map((d) => `${d.metadata.name}@${d.metadata.version}`)).toEqual(["leaf@3.0.0"]);
  });

  it("takes dependencies of apiVersion v1 charts from requirements.yaml", async () => {
    const dir = await writeChartFolder(await dirs.make(), {
      files: {
        "Chart.yaml": chartYaml({ apiVersion: "v1" }),
        "requirements.yaml": "dependencies:\n  - name: redis\n    version: ^1.0.0\n",
        "requirements.lock": "generated: 2020-01-01\ndigest: sha256:abc\ndependencies:\n  - name: redis\n    version: 1.2.0\n    repository: https://x\n",
      },
    });
    const chart = await loadChart(dir);
    expect(chart.metadata.dependencies).toEqual([{ name: "redis", version: "^1.0.0" }]);
    expect(chart.lock?.dependencies).toEqual([{ name: "redis", version: "1.2.0", repository: "https://x" }]);
  });

  it("follows symlinks that stay inside the chart", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml(), "real.txt": "hi" } });
    await symlink("real.txt", path.join(dir, "alias.txt"));
    const chart = await loadChart(dir);
    expect(chart.files.find((f) => f.path === "alias.txt")?.data.toString()).toBe("hi");
  });
  it("skips an ignored symlink without following it", async () => {
    const parent = await dirs.make();
    const dir = await writeChartFolder(parent, { files: { "Chart.yaml": chartYaml(), ".helmignore": "outside\n" } });
    await symlink("/etc", path.join(dir, "outside"));
    const chart = await loadChart(dir);
    expect(paths(chart.files)).toEqual([".helmignore"]);
  });
});

describe("loadChart errors", () => {
  it("missing path", async () => {
    const err = await loadChart("./foo").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe("chart not found: ./foo (expected a chart folder or a .tgz archive)");
  });

  it("missing Chart.yaml", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "values.yaml": "a: 1\n" } });
    const err = await loadChart(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChartError);
    expect((err as Error).message).toBe(`${dir}: Chart.yaml is missing`);
  });

  it("invalid Chart.yaml, with the line", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml({ version: "1.x" }) } });
    await expect(loadChart(dir)).rejects.toThrow(`${dir}/Chart.yaml:3: version: "1.x" is not a valid SemVer 2 version`);
  });

  it("values.yaml that is not YAML", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml(), "values.yaml": "a: 1\nb: [\n" } });
    const err = await loadChart(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValuesError);
    expect((err as Error).message).toMatch(new RegExp(`^${dir}/values\\.yaml:\\d+:\\d+: `));
  });

  it("values.yaml that is not a map", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml(), "values.yaml": "- a\n" } });
    await expect(loadChart(dir)).rejects.toThrow(`${dir}/values.yaml: values must be a map of keys to values at the top level, got`);
  });

  it("values.schema.json that is not JSON", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml(), "values.schema.json": "{ nope" } });
    await expect(loadChart(dir)).rejects.toThrow(`${dir}/values.schema.json: invalid JSON: `);
  });

  it("a broken subchart, naming its path", async () => {
    const dir = await writeChartFolder(await dirs.make(), {
      files: { "Chart.yaml": chartYaml(), "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\n" },
    });
    await expect(loadChart(dir)).rejects.toThrow(`${dir}/charts/sub/Chart.yaml: version: is required`);
  });

  it("a plain file in charts/", async () => {
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml(), "charts/README": "x" } });
    await expect(loadChart(dir)).rejects.toThrow(`${dir}/charts/README: not a chart`);
  });

  it("a symlink pointing outside the chart", async () => {
    const parent = await dirs.make();
    await writeFile(path.join(parent, "secret"), "s3cret");
    const dir = await writeChartFolder(parent, { files: { "Chart.yaml": chartYaml() } });
    await mkdir(path.join(dir, "config"));
    await symlink(path.join(parent, "secret"), path.join(dir, "config/leak"));
    await expect(loadChart(dir)).rejects.toThrow(`${dir}/config/leak: symlink points outside the chart`);
  });
});
