// Atomic file writes: a reader (or a crash) never sees half a file, and a failed write leaves
// the previous content byte-identical.
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface AtomicWriteOptions {
  /** File mode, default 0644; the repositories file (credentials) uses 0600. */
  mode?: number;
}

export async function writeFileAtomic(target: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    // `wx` refuses to follow a file (or symlink) planted at the temp name.
    await writeFile(temp, data, { mode: options.mode ?? 0o644, flag: "wx" });
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

export function isErrnoException(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && "code" in err;
}
