// One fixture builder for chart folders: start from a fixture under test/fixtures/charts or
// from nothing, then add or replace files. Every folder lives under a fresh temp dir.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../../helpers/cli.js";

export const FIXTURES = path.join(REPO_ROOT, "test/fixtures/charts");

export interface ChartFolderOptions {
  /** Fixture folder name under test/fixtures/charts to start from. */
  from?: string;
  /** Folder name of the chart inside the temp dir (default: the fixture's or "mychart"). */
  name?: string;
  /** Files to write, relative to the chart folder. */
  files?: Record<string, string | Buffer>;
}

export interface TempDirs {
  make(prefix?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export function tempDirs(): TempDirs {
  const made: string[] = [];
  return {
    async make(prefix = "berth-test-") {
      const dir = await mkdtemp(path.join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

/** Writes a chart folder inside `parent` and returns its path. */
export async function writeChartFolder(parent: string, options: ChartFolderOptions = {}): Promise<string> {
  const dir = path.join(parent, options.name ?? options.from ?? "mychart");
  if (options.from) await cp(path.join(FIXTURES, options.from), dir, { recursive: true });
  else await mkdir(dir, { recursive: true });
  for (const [rel, data] of Object.entries(options.files ?? {})) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data);
  }
  return dir;
}

export function chartYaml(fields: Record<string, string> = {}): string {
  const all = { apiVersion: "v2", name: "mychart", version: "0.1.0", ...fields };
  return Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
}
