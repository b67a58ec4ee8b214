// One process per data directory: a LOCK file holding the owner's pid, created exclusively.
// A lock left by a process that no longer runs (kill -9) is taken over.
import { open, readFile, unlink } from "node:fs/promises";
import path from "node:path";
import { StoreUnavailable } from "../errors.js";
import { isErrno, LOCK_FILE } from "./files.js";

export async function acquireDirLock(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      return () => unlink(file).catch(() => undefined);
    } catch (err) {
      if (!isErrno(err, "EEXIST")) throw new StoreUnavailable(`${file}: cannot create lock: ${String(err)}`, { cause: err });
    }
    const owner = Number.parseInt(await readFile(file, "utf8").catch(() => ""), 10);
    if (Number.isSafeInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new StoreUnavailable(`data directory ${dir} is in use by process ${owner} (${file})`, {
        hint: "stop the other process, or use another --data-dir",
      });
    }
    await unlink(file).catch(() => undefined);
  }
  throw new StoreUnavailable(`data directory ${dir}: another process is taking the lock at the same time (${file})`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return isErrno(err, "EPERM");
  }
}
