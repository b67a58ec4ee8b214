import { createHash } from "node:crypto";
import { readdir, readFile, stat, symlink, utimes, writeFile, chmod } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Parser, type ReadEntry } from "tar";
import { gunzipSync } from "node:zlib";
import { ChartError, NotFoundError } from "../../../core/errors.js";
import { loadChart, loadChartFromArchive } from "../../../charts/loader/index.js";
import type { Chart } from "../../../charts/model.js";
import { packageChart } from "../../../charts/package/index.js";
import { chartYaml, tempDirs, writeChartFolder } from "../loader/chartBuilder.js";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

interface EntryInfo {
  path: string;
  type: string;
  mode: number | undefined;
  uid: number | undefined;
  gid: number | undefined;
  uname: string | undefined;
  gname: string | undefined;
  mtime: number | undefined;
}

function listEntries(tgz: Buffer): EntryInfo[] {
  const entries: EntryInfo[] = [];
  const parser = new Parser({ strict: true });
  parser.on("entry", (e: ReadEntry) => {
    entries.push({
      path: e.path,
      type: e.type,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      uname: e.uname,
      gname: e.gname,
      mtime: e.mtime?.getTime(),
    });
    e.resume();
  });
  parser.end(gunzipSync(tgz));
  return entries;
}

/** A chart without where it came from, to compare loads from different places. */
function withoutSources(chart: Chart): unknown {
  const { source: _source, dependencies, ...rest } = chart;
  return { ...rest, dependencies: dependencies.map(withoutSources) };
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("packageChart", () => {
  it("writes NAME-VERSION.tgz with entries under NAME/, honouring .helmignore", async () => {
    const out = await dirs.make();
    const dir = await writeChartFolder(await dirs.make(), { from: "basic", name: "some-folder" });
    const written = await packageChart(dir, { destination: out });
    expect(written).toBe(path.join(out, "basic-0.1.0.tgz"));
    const entries = listEntries(await readFile(written));
    expect(entries.map((e) => e.path)).toEqual([
      "basic/",
      "basic/.helmignore",
      "basic/Chart.yaml",
      "basic/README.md",
      "basic/charts/",
      "basic/charts/sub/",
      "basic/charts/sub/Chart.yaml",
      "basic/charts/sub/templates/",
      "basic/charts/sub/templates/configmap.yaml",
      "basic/charts/sub/values.yaml",
      "basic/config/",
      "basic/config/app.ini",
      "basic/crds/",
      "basic/crds/widget.yaml",
      "basic/templates/",
      "basic/templates/NOTES.txt",
      "basic/templates/_helpers.tpl",
      "basic/templates/deployment.yaml",
      "basic/values.schema.json",
      "basic/values.yaml",
    ]);
  });

  it("normalises owner, mode and mtime of every entry, and the gzip header", async () => {
    const dir = await writeChartFolder(await dirs.make(), { from: "basic" });
    await chmod(path.join(dir, "README.md"), 0o755);
    const data = await readFile(await packageChart(dir, { destination: await dirs.make() }));
    for (const e of listEntries(data)) {
      const isDir = e.type === "Directory";
      expect(e).toMatchObject({ mode: isDir ? 0o755 : 0o644, uid: 0, gid: 0, mtime: 0 });
      expect(e.uname ?? "").toBe("");
      expect(e.gname ?? "").toBe("");
    }
    expect([...data.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(data.readUInt32LE(4)).toBe(0);
    expect(data[9]).toBe(3);
  });

  it("gives identical bytes for the same chart, whatever the file times", async () => {
    const dir = await writeChartFolder(await dirs.make(), { from: "basic" });
    const first = await readFile(await packageChart(dir, { destination: await dirs.make() }));
    await utimes(path.join(dir, "values.yaml"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const second = await readFile(await packageChart(dir, { destination: await dirs.make() }));
    expect(second.equals(first)).toBe(true);
    expect(sha256(second)).toBe(sha256(first));
  });

  it("gives different bytes when a file changes", async () => {
    const dir = await writeChartFolder(await dirs.make(), { from: "basic" });
    const first = await readFile(await packageChart(dir, { destination: await dirs.make() }));
    await writeFile(path.join(dir, "README.md"), "changed\n");
    const second = await readFile(await packageChart(dir, { destination: await dirs.make() }));
    expect(sha256(second)).not.toBe(sha256(first));
  });

  it("round-trips: the archive loads to the same chart as the folder", async () => {
    const dir = await writeChartFolder(await dirs.make(), { from: "basic" });
    const written = await packageChart(dir, { destination: await dirs.make() });
    const fromFolder = await loadChart(dir);
    const fromArchive = await loadChartFromArchive(await readFile(written), written);
    expect(withoutSources(fromArchive)).toEqual(withoutSources(fromFolder));
    expect(withoutSources(await loadChart(written))).toEqual(withoutSources(fromFolder));
  });

  it("keeps .tgz subcharts as they are and follows inside symlinks as files", async () => {
    const parent = await dirs.make();
    const sub = await writeChartFolder(parent, { name: "dep", files: { "Chart.yaml": chartYaml({ name: "dep", version: "1.2.3" }) } });
    const top = await writeChartFolder(parent, { name: "top", files: { "Chart.yaml": chartYaml({ name: "top" }), "a.txt": "A" } });
    const subArchive = await packageChart(sub, { destination: path.join(top, "charts") });
    await symlink("a.txt", path.join(top, "b.txt"));
    const written = await packageChart(top, { destination: await dirs.make() });
    const paths = listEntries(await readFile(written)).map((e) => `${e.path}:${e.type}`);
    expect(paths).toContain("top/charts/dep-1.2.3.tgz:File");
    expect(paths).toContain("top/b.txt:File");
    const chart = await loadChart(written);
    expect(chart.dependencies.map((d) => d.metadata.version)).toEqual(["1.2.3"]);
    expect(path.basename(subArchive)).toBe("dep-1.2.3.tgz");
  });

  it("writes long paths through PAX headers and reads them back", async () => {
    const long = `templates/${"nested-folder-name/".repeat(8)}cm.yaml`;
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml(), [long]: "kind: ConfigMap\n" } });
    const chart = await loadChart(await packageChart(dir, { destination: await dirs.make() }));
    expect(chart.templates.map((t) => t.path)).toEqual([long]);
  });

  it("validates the chart before writing anything", async () => {
    const out = await dirs.make();
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml({ version: "one" }) } });
    const err = await packageChart(dir, { destination: out }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChartError);
    expect(await readdir(out)).toEqual([]);
  });

  it("creates the destination and leaves no temp files", async () => {
    const out = path.join(await dirs.make(), "a/b");
    const dir = await writeChartFolder(await dirs.make(), { files: { "Chart.yaml": chartYaml() } });
    await packageChart(dir, { destination: out });
    expect(await readdir(out)).toEqual(["mychart-0.1.0.tgz"]);
    expect((await stat(path.join(out, "mychart-0.1.0.tgz"))).isFile()).toBe(true);
  });

  it("refuses a path that is not a folder", async () => {
    await expect(packageChart("./no-such-chart", { destination: "." })).rejects.toBeInstanceOf(NotFoundError);
  });
});
