import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ArchiveError, ConflictError } from "../../../core/errors.js";
import { loadChart } from "../../../charts/loader/index.js";
import { extractChartArchive, packageChart } from "../../../charts/package/index.js";
import { chartEntries, tgz } from "../loader/archiveBuilder.js";
import { tempDirs, writeChartFolder } from "../loader/chartBuilder.js";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe("extractChartArchive", () => {
  it("extracts a packaged chart into DEST/NAME", async () => {
    const dir = await writeChartFolder(await dirs.make(), { from: "basic" });
    const archive = await packageChart(dir, { destination: await dirs.make() });
    const dest = await dirs.make();
    const out = await extractChartArchive(await readFile(archive), dest, { source: archive });
    expect(out).toBe(path.join(dest, "basic"));
    expect((await stat(path.join(out, "charts/sub/Chart.yaml"))).mode & 0o777).toBe(0o644);
    const again = await loadChart(out);
    expect(again.metadata.name).toBe("basic");
    expect(again.dependencies.map((d) => d.metadata.name)).toEqual(["sub"]);
  });

  it("writes nothing from a hostile archive", async () => {
    const dest = await dirs.make();
    const data = tgz(chartEntries("evil", [{ path: "evil/../../escape.txt", body: "x" }]));
    const err = await extractChartArchive(data, dest, { source: "evil.tgz" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as Error).message).toBe('evil.tgz: entry "evil/../../escape.txt": path escapes the chart');
    expect(await readdir(dest)).toEqual([]);
  });

  it("refuses to extract over an existing folder", async () => {
    const dest = await dirs.make();
    await mkdir(path.join(dest, "good"));
    const err = await extractChartArchive(tgz(chartEntries("good")), dest, { source: "good.tgz" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(await readdir(path.join(dest, "good"))).toEqual([]);
  });
});
