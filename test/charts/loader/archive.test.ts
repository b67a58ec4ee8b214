import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ArchiveError } from "../../../core/errors.js";
import { readChartArchive } from "../../../charts/loader/archive.js";
import { checkEntryPath } from "../../../charts/loader/archivePaths.js";
import { loadChartFromArchive } from "../../../charts/loader/index.js";
import { chartEntries, rawTar, tgz } from "./archiveBuilder.js";

const MIB = 1024 * 1024;

async function archiveError(data: Buffer, source = "evil-0.1.0.tgz"): Promise<ArchiveError> {
  const err: unknown = await readChartArchive(data, { source }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ArchiveError)) throw new Error(`expected an ArchiveError, got ${String(err)}`);
  return err;
}

describe("checkEntryPath", () => {
  it.each([
    ["evil/Chart.yaml", ["evil", "Chart.yaml"]],
    ["./evil/templates/a.yaml", ["evil", "templates", "a.yaml"]],
    ["evil//values.yaml", ["evil", "values.yaml"]],
    ["evil\\templates\\b.yaml", ["evil", "templates", "b.yaml"]],
  ])("accepts %j", (input, segments) => {
    expect(checkEntryPath(input)).toEqual({ ok: true, segments });
  });

  it.each([
    ["/etc/passwd", "absolute path"],
    ["\\windows\\system32", "absolute path"],
    ["C:/x", "absolute path"],
    ["evil/../../etc/passwd", "path escapes the chart"],
    ["..", "path escapes the chart"],
    ["evil\\..\\..\\x", "path escapes the chart"],
    ["evil/a\0b", "path contains a NUL byte"],
    ["./", "empty path"],
  ])("rejects %j: %s", (input, problem) => {
    expect(checkEntryPath(input)).toEqual({ ok: false, problem });
  });
});

describe("readChartArchive accepts", () => {
  it("a chart under one folder, with folder entries", async () => {
    const data = tgz([{ path: "good/", type: "Directory" }, ...chartEntries("good")]);
    const contents = await readChartArchive(data, { source: "good-0.1.0.tgz" });
    expect(contents.root).toBe("good");
    expect(contents.files.map((f) => f.path)).toEqual(["Chart.yaml", "values.yaml"]);
  });

  it("a file of exactly the per-file limit", async () => {
    const data = tgz(chartEntries("big", [{ path: "big/blob.bin", body: Buffer.alloc(5 * MIB) }]));
    const contents = await readChartArchive(data, { source: "big.tgz" });
    expect(contents.files.find((f) => f.path === "blob.bin")?.data.length).toBe(5 * MIB);
  });
});

describe("readChartArchive rejects", () => {
  it("entries with .. segments", async () => {
    const err = await archiveError(tgz(chartEntries("evil", [{ path: "evil/../../etc/passwd", body: "root:x:0:0" }])));
    expect(err.message).toBe('evil-0.1.0.tgz: entry "evil/../../etc/passwd": path escapes the chart');
  });

  it("absolute paths", async () => {
    const err = await archiveError(tgz([...chartEntries("evil"), { path: "/etc/cron.d/evil", body: "* * * * * root sh" }]));
    expect(err.message).toBe('evil-0.1.0.tgz: entry "/etc/cron.d/evil": absolute path');
  });

  it("symlinks", async () => {
    const err = await archiveError(tgz(chartEntries("evil", [{ path: "evil/values.link", type: "SymbolicLink", linkpath: "/etc/passwd" }])));
    expect(err.message).toBe('evil-0.1.0.tgz: entry "evil/values.link": links are not allowed (symlink to "/etc/passwd")');
  });

  it("hard links", async () => {
    const err = await archiveError(tgz(chartEntries("evil", [{ path: "evil/hard", type: "Link", linkpath: "evil/Chart.yaml" }])));
    expect(err.message).toBe('evil-0.1.0.tgz: entry "evil/hard": links are not allowed (hard link to "evil/Chart.yaml")');
  });

  it.each([["CharacterDevice"], ["BlockDevice"], ["FIFO"]] as const)("%s entries", async (type) => {
    const err = await archiveError(tgz(chartEntries("evil", [{ path: "evil/dev", type }])));
    expect(err.message).toBe(`evil-0.1.0.tgz: entry "evil/dev": special files are not allowed (${type})`);
  });

  it("a file over 5 MiB, before reading its body", async () => {
    // The header claims 1 GiB; only a few bytes follow, so reading the body would fail differently.
    const err = await archiveError(tgz(chartEntries("evil", [{ path: "evil/huge.bin", size: 1024 * MIB, body: "x" }])));
    expect(err.message).toBe(`evil-0.1.0.tgz: entry "evil/huge.bin": file is ${1024 * MIB} bytes, over the 5 MiB limit per file`);
  });

  it("more than 50 MiB in all", async () => {
    const blobs = Array.from({ length: 11 }, (_, i) => ({ path: `evil/blob${i}.bin`, body: Buffer.alloc(5 * MIB) }));
    const err = await archiveError(tgz(chartEntries("evil", blobs)));
    expect(err.message).toBe('evil-0.1.0.tgz: entry "evil/blob9.bin": archive content exceeds the 50 MiB limit');
  });

  it("a gzip bomb, stopping after a bounded amount of inflation", async () => {
    const bomb = tgz(chartEntries("evil"), { trailingZeros: 4 * MIB });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const err: unknown = await readChartArchive(bomb, { source: "bomb.tgz", limits: { maxTotalBytes: MIB } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as Error).message).toBe("bomb.tgz: archive is larger than 1 MiB when uncompressed");
  });

  it("files outside the top-level folder", async () => {
    const err = await archiveError(tgz([...chartEntries("evil"), { path: "other/Chart.yaml", body: "x" }]));
    expect(err.message).toBe('evil-0.1.0.tgz: entry "other/Chart.yaml": outside the top-level folder "evil/" (an archive must hold one chart folder)');
  });

  it("files at the top level, even after a ./ folder entry", async () => {
    const err = await archiveError(tgz([{ path: "./", type: "Directory" }, { path: "./Chart.yaml", body: "apiVersion: v2\n" }]));
    expect(err.message).toBe('evil-0.1.0.tgz: entry "./Chart.yaml": file is not inside a top-level chart folder');
  });

  it("files at the top level", async () => {
    const err = await archiveError(tgz([{ path: "Chart.yaml", body: "apiVersion: v2\n" }]));
    expect(err.message).toBe('evil-0.1.0.tgz: entry "Chart.yaml": file is not inside a top-level chart folder');
  });

  it("duplicate entries", async () => {
    const err = await archiveError(tgz([...chartEntries("evil"), { path: "evil/./values.yaml", body: "x: 1\n" }]));
    expect(err.message).toBe('evil-0.1.0.tgz: entry "evil/./values.yaml": duplicate entry');
  });

  it("data that is not gzip", async () => {
    const err = await archiveError(rawTar(chartEntries("evil")));
    expect(err.message).toBe("evil-0.1.0.tgz: not a gzip-compressed tar archive");
  });

  it("corrupt tar data", async () => {
    const data = rawTar(chartEntries("evil"));
    data.write("garbage!", 148); // breaks the first header's checksum
    const err = await archiveError(gzipSync(data));
    expect(err.message).toMatch(/^evil-0\.1\.0\.tgz: corrupt tar data: /);
  });

  it("an empty archive", async () => {
    const err = await archiveError(tgz([]));
    expect(err.message).toBe("evil-0.1.0.tgz: archive is empty or not a tar archive");
  });
});

describe("loadChartFromArchive", () => {
  it("names the archive and the chart file in Chart.yaml errors", async () => {
    const data = tgz([{ path: "bad/Chart.yaml", body: "apiVersion: v2\nname: bad\nversion: 1.x\n" }]);
    await expect(loadChartFromArchive(data, "bad-1.tgz")).rejects.toThrow('bad-1.tgz/bad/Chart.yaml:3: version: "1.x" is not a valid SemVer 2 version');
  });

  it("rejects hostile subchart archives nested in a chart archive", async () => {
    const inner = tgz(chartEntries("inner", [{ path: "inner/../../escape", body: "x" }]));
    const data = tgz(chartEntries("outer", [{ path: "outer/charts/inner-0.1.0.tgz", body: inner }]));
    await expect(loadChartFromArchive(data, "outer.tgz")).rejects.toThrow(
      'outer.tgz/outer/charts/inner-0.1.0.tgz: entry "inner/../../escape": path escapes the chart',
    );
  });

  it("counts nested subchart archives against the same 50 MiB total", async () => {
    const blobs = (root: string, n: number) => Array.from({ length: n }, (_, i) => ({ path: `${root}/blob${i}.bin`, body: Buffer.alloc(5 * MIB) }));
    const inner = tgz(chartEntries("inner", blobs("inner", 5)));
    const data = tgz(chartEntries("outer", [...blobs("outer", 6), { path: "outer/charts/inner-0.1.0.tgz", body: inner }]));
    await expect(loadChartFromArchive(data, "outer.tgz")).rejects.toThrow(
      'outer.tgz/outer/charts/inner-0.1.0.tgz: entry "inner/blob3.bin": archive content exceeds the 50 MiB limit',
    );
  });
});
