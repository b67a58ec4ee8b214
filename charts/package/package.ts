// `berth package`: validates a chart folder by loading it, then writes NAME-VERSION.tgz
// deterministically (see tarWriter.ts) and atomically (temp file + rename), so a reader
// never sees half an archive and the same chart always gives the same bytes.
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { NotFoundError } from "../../core/errors.js";
import { chartFromFiles, readChartDir } from "../loader/index.js";
import type { Chart } from "../model.js";
import { deterministicTgz } from "./tarWriter.js";

export interface PackageOptions {
  /** Folder to write the archive into; created when missing. */
  destination: string;
}

export interface PackagedChart {
  /** Path of the written archive. */
  path: string;
  chart: Chart;
}

/** Packages `chartDir` and returns the archive's path. */
export async function packageChart(chartDir: string, options: PackageOptions): Promise<string> {
  return (await packageChartWithInfo(chartDir, options)).path;
}

export async function packageChartWithInfo(chartDir: string, options: PackageOptions): Promise<PackagedChart> {
  const info = await stat(chartDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new NotFoundError(`chart folder not found: ${chartDir} (berth package takes a chart folder)`);
  }
  const label = path.normalize(chartDir).replace(/[/\\]+$/, "") || ".";
  const files = await readChartDir(chartDir, { label });
  const chart = await chartFromFiles(files, { source: chartDir, label });
  const { name, version } = chart.metadata;
  const data = deterministicTgz(files.map((f) => ({ path: `${name}/${f.path}`, data: f.data })));
  const target = path.join(options.destination, `${name}-${version}.tgz`);
  await writeAtomically(target, data);
  return { path: target, chart };
}

async function writeAtomically(target: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, data, { mode: 0o644, flag: "wx" });
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
