// Temporary folders for tests, and chart folders written from a map of files.
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const created: string[] = [];

export async function makeTempDir(prefix = "berth-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Writes `files` (relative path → content) under dir, creating folders as needed. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return dir;
}

/** A minimal valid chart's files, with overrides merged in (set a file to write it, e.g. templates). */
export function chartFiles(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.0"\n`,
    "values.yaml": "",
    ...extra,
  };
}
