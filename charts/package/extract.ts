// Safe untar of a chart archive (for `berth pull --untar`): the archive is fully read and
// checked in memory first (charts/loader/archive.ts rules), then written into a folder that
// must not exist yet, so nothing already on disk (a planted symlink) can redirect a write.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ArchiveError, ConflictError } from "../../core/errors.js";
import { readChartArchive, type ArchiveLimits } from "../loader/index.js";

export interface ExtractOptions {
  /** Names the archive in messages (default "chart archive"). */
  source?: string;
  limits?: Partial<ArchiveLimits>;
}

/** Extracts into `destDir/<top-level folder>` and returns that folder's path. */
export async function extractChartArchive(data: Buffer, destDir: string, options: ExtractOptions = {}): Promise<string> {
  const source = options.source ?? "chart archive";
  const { root, files } = await readChartArchive(data, { source, limits: options.limits });
  const base = path.resolve(destDir);
  const target = path.join(base, root);
  await mkdir(base, { recursive: true });
  try {
    await mkdir(target);
  } catch (err) {
    throw new ConflictError(`${target} already exists: not extracting ${source} over it`, { cause: err, hint: "remove it or choose another destination" });
  }
  for (const file of files) {
    const out = path.resolve(target, file.path);
    // readChartArchive already refused escaping paths; this keeps the invariant local.
    if (!out.startsWith(target + path.sep)) throw new ArchiveError(`${source}: entry "${root}/${file.path}": path escapes the chart`);
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, file.data, { mode: 0o644, flag: "wx" });
  }
  return target;
}
